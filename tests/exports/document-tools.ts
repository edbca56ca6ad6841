/**
 * The command-line checks of exported files: poppler (`pdftotext`, `pdftoppm`) and LibreOffice
 * (`soffice`). `.ci/run` installs them; a test that needs one says so and skips only when it is absent.
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** True when `command` is on the PATH. */
export async function hasCommand(command: string): Promise<boolean> {
  try {
    await run('sh', ['-c', `command -v ${command}`]);
    return true;
  } catch {
    return false;
  }
}

/** The PDF's text, in reading order (`pdftotext -layout`). */
export async function pdfText(pdf: Buffer): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ct-pdf-'));
  try {
    const file = path.join(dir, 'doc.pdf');
    await fs.writeFile(file, pdf);
    const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', file, '-']);
    return stdout;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Renders every page to PNG (`pdftoppm`) and returns each page image's size in bytes. */
export async function pdfPageImages(pdf: Buffer): Promise<number[]> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ct-pdf-'));
  try {
    const file = path.join(dir, 'doc.pdf');
    await fs.writeFile(file, pdf);
    await run('pdftoppm', ['-r', '40', '-png', file, path.join(dir, 'page')]);
    const pages = (await fs.readdir(dir)).filter((f) => f.endsWith('.png')).sort();
    return Promise.all(pages.map(async (p) => (await fs.stat(path.join(dir, p))).size));
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/**
 * Converts a workbook headless with LibreOffice in a throw-away profile (`csv`: the first sheet;
 * `pdf`: every sheet) and returns the file and everything soffice printed (a repair prompt or an
 * error would show there).
 */
export async function libreOfficeConvert(
  xlsx: Buffer,
  to: 'csv' | 'pdf',
): Promise<{ file: Buffer; output: string }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ct-lo-'));
  try {
    const file = path.join(dir, 'book.xlsx');
    await fs.writeFile(file, xlsx);
    const { stdout, stderr } = await run(
      'soffice',
      [
        `-env:UserInstallation=file://${path.join(dir, 'profile')}`,
        '--headless',
        '--norestore',
        '--convert-to',
        to,
        '--outdir',
        path.join(dir, 'out'),
        file,
      ],
      { timeout: 120_000 },
    );
    const converted = await fs.readFile(path.join(dir, 'out', `book.${to}`));
    return { file: converted, output: `${stdout}\n${stderr}` };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
