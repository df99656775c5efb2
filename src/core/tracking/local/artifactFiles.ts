// Run artifacts as plain files under <store>/artifacts/<runId>/, written to a temp file, fsynced
// and renamed into place, so a reader or a crash never sees half an artifact.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TrackingError, type ArtifactFile } from '../types';
import { validateArtifactPath } from '../validation';
import { writeFileAtomic } from './formatVersion';

export class ArtifactFiles {
  constructor(readonly root: string) {}

  runRoot(runId: string): string {
    return path.join(this.root, runId);
  }

  write(runId: string, artifactPath: string, content: Uint8Array | string): void {
    const rel = validateArtifactPath(artifactPath);
    const target = path.join(this.runRoot(runId), ...rel.split('/'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    // A hidden temp name: list() skips it, so an upload in progress is never listed.
    const tmp = path.join(path.dirname(target), `.${path.basename(target)}.tmp-${crypto.randomBytes(6).toString('hex')}`);
    writeFileAtomic(target, content, tmp);
  }

  list(runId: string, dirPath?: string): ArtifactFile[] {
    const rel = validateArtifactPath(dirPath ?? '', true);
    const dir = rel ? path.join(this.runRoot(runId), ...rel.split('/')) : this.runRoot(runId);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return []; // no artifacts yet, or a file path: MLflow lists nothing
    }
    const out: ArtifactFile[] = [];
    for (const e of entries) {
      if (e.name.startsWith('.') && e.name.includes('.tmp-')) continue; // an upload in progress
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) out.push({ path: p, isDir: true });
      else if (e.isFile()) out.push({ path: p, isDir: false, fileSize: fs.statSync(path.join(dir, e.name)).size });
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  read(runId: string, artifactPath: string): Uint8Array {
    const rel = validateArtifactPath(artifactPath);
    const file = path.join(this.runRoot(runId), ...rel.split('/'));
    try {
      return new Uint8Array(fs.readFileSync(file));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') {
        throw new TrackingError('RESOURCE_DOES_NOT_EXIST', `Artifact '${rel}' of run ${runId} does not exist (${file}).`);
      }
      throw e;
    }
  }
}
