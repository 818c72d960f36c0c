import * as oidc from 'openid-client';
import { bold, CliError, exitCodes } from '../output';
import { createProgress } from '../ui/spinner';
import { oauthErrorCode, oauthFailure } from './oidc-client';

/**
 * OAuth device authorization (RFC 8628): print where to go and the code, then poll the token
 * endpoint at the interval the provider asks for until the person approves, declines, or the
 * code expires.
 */
export async function deviceLogin(
  config: oidc.Configuration,
  scope: string,
  signal: AbortSignal,
): Promise<oidc.TokenEndpointResponse> {
  const issuer = config.serverMetadata().issuer;
  if (!config.serverMetadata().device_authorization_endpoint) {
    throw new CliError(
      `the identity provider ${issuer} does not offer the device flow`,
      'log in through a browser instead: volundr login --browser',
    );
  }
  let device: oidc.DeviceAuthorizationResponse;
  try {
    device = await oidc.initiateDeviceAuthorization(config, { scope });
  } catch (error) {
    throw oauthFailure(error, 'device authorization', issuer);
  }
  const out = process.stderr;
  out.write(`To log in, open ${bold(device.verification_uri)}\n`);
  out.write(`and enter the code ${bold(device.user_code)}\n`);
  if (device.verification_uri_complete) out.write(`(or open ${device.verification_uri_complete})\n`);
  const progress = createProgress();
  progress.step('waiting for you to approve in the browser (Ctrl-C to cancel)');
  try {
    return await oidc.pollDeviceAuthorizationGrant(config, device, undefined, { signal });
  } catch (error) {
    if (signal.aborted) throw new CliError('login cancelled', undefined, exitCodes.interrupted);
    const code = oauthErrorCode(error);
    if (code === 'expired_token') {
      throw new CliError(
        'the code expired before it was approved',
        'run volundr login again',
        exitCodes.unauthenticated,
      );
    }
    if (code === 'access_denied') {
      throw new CliError('the login was declined in the browser', undefined, exitCodes.unauthenticated);
    }
    throw oauthFailure(error, 'device login', issuer);
  } finally {
    progress.stop();
  }
}
