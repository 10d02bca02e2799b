declare module 'virtual:tang-poems' {
  const corpus: { readonly source: string; readonly poems: number; readonly text: string };
  export default corpus;
}
