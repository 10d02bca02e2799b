import { execFile } from 'node:child_process';
import type { CommandRunner } from './nvidia-smi';

/** Runs a command with a 5 s timeout; rejects with the spawn error (ENOENT when missing). */
export const execFileRunner: CommandRunner = (command, args) =>
  new Promise((resolve, reject) => {
    execFile(command, [...args], { timeout: 5000, encoding: 'utf8' }, (error, stdout) => {
      if (error) reject(error);
      else resolve({ stdout });
    });
  });
