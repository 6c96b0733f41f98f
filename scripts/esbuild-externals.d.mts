import type { Plugin } from 'esbuild';

export declare const externalPackagesButCore: Plugin;
