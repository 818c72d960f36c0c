/**
 * The code-server release the local runtime installs. 4.100.3 is the newest whose engines accept
 * Node 20 (4.103–4.117 need Node 22, 4.133+ need Node 24); see ../shared/TOOLCHAIN.md.
 */
export const CODE_SERVER_VERSION = '4.100.3';

/**
 * The @vscode/ripgrep that code-server 4.100.3's bundled VS Code depends on, and the ripgrep
 * release asset it downloads from GitHub in its postinstall. The postinstall first looks in
 * `$TMPDIR/vscode-ripgrep-cache-<package version>/<asset>`, so a tarball placed there keeps
 * the install offline. Both change only with CODE_SERVER_VERSION.
 */
export const VSCODE_RIPGREP_PACKAGE_VERSION = '1.15.11';
export const RIPGREP_ASSET_VERSION = 'v13.0.0-10';

/** The Node major version code-server 4.100.3 declares in its engines and checks in its postinstall. */
export const CODE_SERVER_NODE_MAJOR = 20;
