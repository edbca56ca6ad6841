/**
 * The bench's child processes: a TypeScript CLI run under tsx whose stderr is passed through and
 * whose stdout answers in JSON lines. Work that would inflate the bench process's own memory (the
 * simulator's dataset, the demo app, a scaled dataset's load) runs in one of these.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { pathToFileURL } from 'node:url';

/** The next line of a child's stdout; rejects if the child's stdout closes first. */
export function nextLine(lines: Interface): Promise<string> {
  return new Promise((resolve, reject) => {
    const onLine = (line: string) => {
      lines.off('close', onClose);
      resolve(line);
    };
    const onClose = () => reject(new Error('child process exited'));
    lines.once('line', onLine);
    lines.once('close', onClose);
  });
}

/**
 * Starts `script` (a .ts file) with tsx's loader with `args` (and Node's `nodeArgs`); its stderr
 * goes to ours. One process, Node with the loader imported: tsx's CLI would run the script in a
 * process of its own that does not inherit `nodeArgs` (a heap limit given to it never reached the
 * app it stands in for).
 */
export function startTsx(
  script: string,
  args: readonly string[],
  nodeArgs: readonly string[] = [],
): { child: ChildProcessWithoutNullStreams; lines: Interface } {
  const child = spawn(
    process.execPath,
    [...nodeArgs, '--import', pathToFileURL(require.resolve('tsx')).href, script, ...args],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  return { child, lines: createInterface({ input: child.stdout }) };
}

/** Runs `script` under tsx with `args` and parses the first line it prints as JSON. */
export async function runJsonLineProcess<T>(
  script: string,
  args: readonly string[],
  nodeArgs: readonly string[] = [],
): Promise<T> {
  const { child, lines } = startTsx(script, args, nodeArgs);
  child.stdin.end();
  return JSON.parse(await nextLine(lines)) as T;
}
