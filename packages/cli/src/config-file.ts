/**
 * `--config FILE` (#13 item 6): a JSON object whose keys are the command's flag names in
 * camelCase (`"dModel": 128` for `--d-model 128`, `"maxNewTokens"` for `--max-new-tokens`), so a
 * config is the command line written down. Every unknown key is listed at once (with the closest
 * flag), exit 2; flags given on the command line win over the file. Values: strings go through the
 * flag's own parser as if typed, numbers and booleans are taken as they are, and the command's
 * usual checks then apply to both. The file is outside input: its size is checked before reading.
 */
import { readFile, stat } from 'node:fs/promises';
import type { Command, Option } from 'commander';
import { cliError } from './errors';

/** A config larger than this is not a settings file. */
export const MAX_CONFIG_BYTES = 1 << 20;

const camelToFlag = (name: string) => `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** Edit distance (for "did you mean"), on short names only. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

function closest(key: string, names: readonly string[]): string | undefined {
  if (key.length > 64) return undefined;
  const best = names.map((name) => ({ name, d: distance(key, name) })).sort((x, y) => x.d - y.d)[0];
  return best && best.d <= Math.max(2, Math.floor(key.length / 3)) ? best.name : undefined;
}

async function readConfig(path: string): Promise<Record<string, unknown>> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw cliError('E_ARGUMENT', '--config', 'a JSON file', `'${path}' (no such file)`, 'check the path');
  if (info.size > MAX_CONFIG_BYTES) throw cliError('E_ARGUMENT', '--config', `a settings file of at most ${MAX_CONFIG_BYTES} bytes`, `${info.size} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw cliError(
      'E_ARGUMENT',
      '--config',
      'valid JSON',
      `${(error as Error).message.split('\n')[0]} in '${path}'`,
      'write an object such as {"steps": 300, "dModel": 128}',
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw cliError(
      'E_ARGUMENT',
      '--config',
      'a JSON object of settings',
      Array.isArray(value) ? 'an array' : String(value === null ? 'null' : typeof value),
      'write an object such as {"steps": 300, "dModel": 128}',
    );
  }
  return value as Record<string, unknown>;
}

/** Applies `--config` to `command`'s option values (a commander preAction hook). */
export async function applyConfigFile(command: Command): Promise<void> {
  const path = command.getOptionValue('config') as string | undefined;
  if (path === undefined) return;
  const config = await readConfig(path);
  const options = new Map<string, Option>(command.options.map((option) => [option.attributeName(), option]));
  options.delete('config');
  const names = [...options.keys()];
  const unknown = Object.keys(config).filter((key) => !options.has(key));
  if (unknown.length > 0) {
    const listed = unknown.slice(0, 20).map((key) => {
      const near = closest(key, names);
      return `'${key.slice(0, 64)}'${near ? ` (did you mean '${near}'?)` : ''}`;
    });
    throw cliError(
      'E_UNKNOWN_CHOICE',
      '--config',
      `keys among the flags of 'wattformer ${command.name()}' in camelCase: ${names.join(', ')}`,
      `unknown key${unknown.length > 1 ? 's' : ''} ${listed.join(', ')}${unknown.length > 20 ? ` and ${unknown.length - 20} more` : ''}`,
      `write a flag's name in camelCase, e.g. "${names.find((n) => /[A-Z]/.test(n)) ?? names[0]}" for ${camelToFlag(names.find((n) => /[A-Z]/.test(n)) ?? names[0]!)}`,
    );
  }
  for (const [key, value] of Object.entries(config)) {
    if (command.getOptionValueSource(key) === 'cli') continue; // the command line wins
    const option = options.get(key)!;
    let parsed: unknown = value;
    if (typeof value === 'string') {
      parsed = option.parseArg ? option.parseArg(value, undefined) : value;
    } else if (!(typeof value === 'number' || typeof value === 'boolean')) {
      throw cliError(
        'E_ARGUMENT',
        option.long ?? camelToFlag(key),
        'a string, number or boolean in --config',
        JSON.stringify(value)?.slice(0, 60) ?? String(value),
      );
    }
    command.setOptionValueWithSource(key, parsed, 'config');
  }
}
