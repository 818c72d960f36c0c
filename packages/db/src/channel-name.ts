/**
 * LISTEN/NOTIFY channel names are restricted to lower-case identifiers: `LISTEN Foo` folds to
 * `foo` while `pg_notify('Foo', …)` does not, and PGlite issues an unquoted LISTEN. With this
 * rule the name means the same thing on both drivers and needs no quoting.
 */
const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertChannelName(channel: string): string {
  if (!CHANNEL.test(channel)) {
    throw new Error(
      `invalid channel name "${channel}": use lower-case letters, digits and "_", starting with a letter or "_", at most 63 characters`,
    );
  }
  return channel;
}
