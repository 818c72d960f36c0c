import { z } from 'zod';

export const ZRole = z.enum(['volundr:admin', 'volundr:developer', 'volundr:viewer']);
export type Role = z.infer<typeof ZRole>;

/** Who is asking: the result of validating a bearer token (OIDC JWT, PAT, or trusted proxy headers). */
export const ZPrincipal = z.object({
  userId: z.string().min(1).max(255),
  email: z.string().max(320).nullable(),
  name: z.string().max(255).nullable(),
  tenantId: z.string().min(1).max(255),
  roles: z.array(ZRole),
  /**
   * Set when the credential may act for one session only (the token a session's broker reports
   * with): every action on anything else is refused, whatever the roles say.
   */
  sessionScope: z.string().min(1).optional(),
});
export type Principal = z.infer<typeof ZPrincipal>;
