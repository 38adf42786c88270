import type { Migration } from '../../../db/migrations.js'

/**
 * A refresh is one statement: `oauth_refresh` checks the client, the refresh token and its grant,
 * rotates and writes the new pair, so no connection sits idle in a transaction between round
 * trips. The plain tokens are made in Node and only their digests come here.
 */
export const oauthRefreshFunctionMigrations: Migration[] = [
  {
    id: 'oauth/004-refresh-function',
    sql: `
-- Answers one row: outcome 'issued' or 'reissued' (a retry; with the scopes of the new pair), 'invalid_grant',
-- 'invalid_scope', or 'reused' (a rotated token presented after the grace window: nothing is
-- written here; the caller revokes the grant, with billing, in a transaction of its own).
-- A retry within the grace window revokes the pair issued for the first try and announces it on
-- protus_oauth_revocations, so every process forgets the grant's cached tokens.
CREATE FUNCTION oauth_refresh(
  p_client_id text,
  p_presented text,
  p_scopes jsonb,
  p_now timestamptz,
  p_grace_ms integer,
  p_access_digest text,
  p_access_ttl_s integer,
  p_refresh_digest text,
  p_refresh_ttl_s integer
) RETURNS TABLE (outcome text, grant_id text, scopes jsonb) LANGUAGE plpgsql AS $fn$
#variable_conflict use_column
DECLARE
  v_token oauth_tokens%ROWTYPE;
  v_grant oauth_grants%ROWTYPE;
  v_allowed jsonb;
  v_scopes jsonb;
BEGIN
  SELECT * INTO v_token FROM oauth_tokens WHERE token_digest = p_presented FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'invalid_grant'::text, NULL::text, NULL::jsonb;
    RETURN;
  END IF;
  SELECT * INTO v_grant FROM oauth_grants WHERE id = v_token.grant_id;
  IF v_token.kind <> 'refresh' OR v_token.client_id <> p_client_id OR v_token.revoked_at IS NOT NULL
     OR v_grant.revoked_at IS NOT NULL OR (v_token.expires_at IS NOT NULL AND v_token.expires_at <= p_now) THEN
    RETURN QUERY SELECT 'invalid_grant'::text, v_token.grant_id, NULL::jsonb;
    RETURN;
  END IF;
  -- The token's scopes that the grant still holds, in the token's (canonical) order.
  SELECT coalesce(jsonb_agg(s ORDER BY n), '[]'::jsonb) INTO v_allowed
    FROM jsonb_array_elements_text(v_token.scopes) WITH ORDINALITY AS e(s, n)
   WHERE v_grant.scopes ? s;
  IF p_scopes IS NOT NULL AND EXISTS (
       SELECT 1 FROM jsonb_array_elements_text(p_scopes) AS w(s) WHERE NOT v_allowed ? w.s) THEN
    RETURN QUERY SELECT 'invalid_scope'::text, v_token.grant_id, NULL::jsonb;
    RETURN;
  END IF;
  IF v_token.used_at IS NOT NULL THEN
    IF p_now - v_token.used_at > p_grace_ms * interval '1 millisecond' THEN
      RETURN QUERY SELECT 'reused'::text, v_token.grant_id, NULL::jsonb;
      RETURN;
    END IF;
    -- A retried rotation: the pair issued for the first try is replaced.
    UPDATE oauth_tokens SET revoked_at = p_now WHERE parent_digest = p_presented AND revoked_at IS NULL;
    PERFORM pg_notify('protus_oauth_revocations', v_token.grant_id);
  ELSE
    UPDATE oauth_tokens SET used_at = p_now WHERE token_digest = p_presented;
  END IF;
  v_scopes := coalesce(p_scopes, v_allowed);
  INSERT INTO oauth_tokens (token_digest, kind, grant_id, client_id, scopes, created_at, expires_at, parent_digest)
  VALUES
    (p_access_digest, 'access', v_token.grant_id, p_client_id, v_scopes, p_now,
     p_now + p_access_ttl_s * interval '1 second', p_presented),
    (p_refresh_digest, 'refresh', v_token.grant_id, p_client_id, v_scopes, p_now,
     p_now + p_refresh_ttl_s * interval '1 second', p_presented);
  UPDATE oauth_grants SET last_used_at = p_now WHERE id = v_token.grant_id;
  RETURN QUERY SELECT CASE WHEN v_token.used_at IS NULL THEN 'issued' ELSE 'reissued' END, v_token.grant_id, v_scopes;
END
$fn$;
`,
  },
]
