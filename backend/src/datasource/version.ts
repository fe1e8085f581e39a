/** Set by the esbuild bundle from package.json; `dev` when run from source (tests). */
export const VERSION = process.env.SLUICE_VERSION ?? 'dev';
