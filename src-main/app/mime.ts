import { contentType } from 'mime-types';
import path from 'node:path';

/** Content type of a renderer static file (served by the plain-Node host and the app:// protocol). */
export function mimeType(file: string): string {
  return contentType(path.extname(file).toLowerCase()) || 'application/octet-stream';
}
