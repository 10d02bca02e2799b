// One worst-case bench case in a fresh process: `tsx bench/worst-case-case.ts <path> <input> <bytes>`
// prints {"ms": …} on stdout. Started by worst-case.ts; not meant to be run by hand.
import { timeCase } from './worst-case-bench';

const [path, input, bytes] = process.argv.slice(2);
const ms = await timeCase(path ?? '', input ?? '', Number(bytes));
process.stdout.write(`${JSON.stringify({ ms })}\n`);
