import { runCli } from './src/cli/program';
const io = { stdout: (t: string) => void process.stdout.write(t), stderr: (t: string) => void process.stderr.write(t), cwd: process.cwd() };
runCli(process.argv.slice(2), io).then((c) => { process.stdout.write(`[exit ${c}]\n`); });
