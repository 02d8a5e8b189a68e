import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PresignInput } from '../../src';

export interface Vector {
  name: string;
  tags: string[];
  input: Omit<PresignInput, 'provider'>;
  expected: {
    error?: string;
    mayReject?: boolean;
    url?: string;
    host?: string;
    path?: string;
    query?: Record<string, string>;
    signature?: string;
    authorization?: string;
    urlDownloadParsed?: { query: Record<string, string>; host: string; path: string };
  };
}

export function loadVectors(provider: 'cos' | 'tos' | 's3'): Vector[] {
  const file = path.join(__dirname, '..', 'fixtures', 'vectors', `${provider}.json`);
  return JSON.parse(fs.readFileSync(file, 'utf8')).vectors as Vector[];
}
