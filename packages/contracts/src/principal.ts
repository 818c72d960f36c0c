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
});
export type Principal = z.infer<typeof ZPrincipal>;
