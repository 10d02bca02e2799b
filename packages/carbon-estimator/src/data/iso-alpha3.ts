/** ISO 3166-1 alpha-3 codes: CodeCarbon's `country_iso_code` column uses them (e.g. `FRA`). */
export const ISO_ALPHA3: Readonly<Record<string, string>> = {
  WORLD: '', US: 'USA', CA: 'CAN', MX: 'MEX', BR: 'BRA', CL: 'CHL', AR: 'ARG', GB: 'GBR', FR: 'FRA', DE: 'DEU',
  NL: 'NLD', BE: 'BEL', IE: 'IRL', ES: 'ESP', PT: 'PRT', IT: 'ITA', CH: 'CHE', AT: 'AUT', ZA: 'ZAF', SA: 'SAU',
  KZ: 'KAZ', PL: 'POL', CZ: 'CZE', DK: 'DNK', NO: 'NOR', SE: 'SWE', FI: 'FIN', IS: 'ISL', RU: 'RUS', TR: 'TUR',
  CN: 'CHN', IN: 'IND', JP: 'JPN', KR: 'KOR', TW: 'TWN', SG: 'SGP', ID: 'IDN', VN: 'VNM', AU: 'AUS', NZ: 'NZL',
  AE: 'ARE', IL: 'ISR',
};
