/** The platform's version (set at build time in releases; the workspace version otherwise). */
export const VERSION = process.env.VOLUNDR_VERSION ?? '0.1.0';
