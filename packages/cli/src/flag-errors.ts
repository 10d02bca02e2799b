/**
 * Every bad command-line value exits 2 with `cli: <flag>: expected <x>, got <y>` + `help:`
 * (#13 item 6), also the ones commander itself catches: a flag parser's refusal is re-thrown
 * naming its flag, and commander's own errors (unknown option, missing value, required option)
 * are turned into the same form instead of commander's `error: …` and exit 1.
 */
import { type CommanderError, InvalidArgumentError, type Command } from 'commander';
import { WattformerError } from '@wattformer/core';
import { cliError } from './errors';

/** Parses a number flag (`3e-4`, `1_000`); the refusal is named by `withFlagErrors`. */
export function numberFlag(value: string): number {
  const n = Number(value.replace(/_/g, ''));
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('a number');
  return n;
}

/** Wraps every option parser of every command so a refusal names its flag, and routes commander's errors to `cli:` errors. */
export function withFlagErrors(program: Command): Command {
  for (const command of [program, ...program.commands]) {
    command.exitOverride();
    command.configureOutput({ outputError: () => undefined }); // cli.ts prints the translated error (help still prints)
    command.showHelpAfterError(false); // the error's own help line says where to look
    for (const option of command.options) {
      const parse = option.parseArg;
      if (!parse) continue;
      const flag = option.long ?? option.flags;
      option.argParser((value: string, previous: unknown) => {
        try {
          return parse.call(option, value, previous);
        } catch (error) {
          if (error instanceof WattformerError) throw error;
          const expected = error instanceof InvalidArgumentError ? error.message.replace(/^expected /, '').replace(/, got .*$/, '') : String(error);
          throw cliError('E_ARGUMENT', flag, expected, `'${value}'`, `see wattformer ${command.name()} --help`);
        }
      });
    }
  }
  return program;
}

/** Commander's own usage errors as `cli:` errors; undefined for help and version (exit 0). */
export function fromCommanderError(error: CommanderError): Error | undefined {
  if (error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help')
    return undefined;
  const text = error.message.replace(/^error: /, '');
  const flag = /'(-[^' ]+)/.exec(text)?.[1];
  const help = 'see wattformer --help, or wattformer <command> --help';
  switch (error.code) {
    case 'commander.unknownOption': {
      const suggestion = /\(Did you mean (.*)\?\)/.exec(text)?.[1];
      return cliError(
        'E_ARGUMENT',
        flag ?? 'wattformer',
        'one of the options of this command',
        'an unknown option',
        suggestion ? `did you mean ${suggestion}? (${help})` : help,
      );
    }
    case 'commander.optionMissingArgument':
      return cliError('E_ARGUMENT', flag ?? 'wattformer', 'a value after the flag', 'none', help);
    case 'commander.missingMandatoryOptionValue':
      return cliError('E_ARGUMENT', flag ?? 'wattformer', 'a value (this option is required)', 'none', help);
    case 'commander.unknownCommand':
      return cliError('E_UNKNOWN_CHOICE', 'wattformer', 'a command: train, generate or finetune', `'${/'([^']*)'/.exec(text)?.[1] ?? text}'`, help);
    default:
      return cliError('E_ARGUMENT', flag ?? 'wattformer', 'valid arguments', text, help);
  }
}
