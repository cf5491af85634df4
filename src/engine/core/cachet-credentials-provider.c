/* cachet-credentials-provider.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cachet-credentials-provider.h"

G_DEFINE_INTERFACE (CachetCredentialsProvider, cachet_credentials_provider, G_TYPE_OBJECT)

static void
cachet_credentials_provider_default_init (CachetCredentialsProviderInterface *iface)
{
}

/**
 * cachet_secret_kind_to_string:
 *
 * Returns: (transfer none): a stable name for @kind, for storage keys
 */
const char *
cachet_secret_kind_to_string (CachetSecretKind kind)
{
  switch (kind)
    {
    case CACHET_SECRET_PASSWORD:
      return "password";
    case CACHET_SECRET_CERTIFICATE_PASSPHRASE:
      return "certificate-passphrase";
    case CACHET_SECRET_OAUTH_REFRESH_TOKEN:
      return "oauth-refresh-token";
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * cachet_credentials_provider_lookup_async:
 * @account_id: the id of the account
 * @kind: which secret
 *
 * Looks up a secret. Finishing gives %NULL without an error when none is
 * stored, so that the caller can ask the user.
 */
void
cachet_credentials_provider_lookup_async (CachetCredentialsProvider *self,
                                          const char                *account_id,
                                          CachetSecretKind           kind,
                                          GCancellable              *cancellable,
                                          GAsyncReadyCallback        callback,
                                          gpointer                   user_data)
{
  g_return_if_fail (CACHET_IS_CREDENTIALS_PROVIDER (self));
  g_return_if_fail (account_id != NULL);

  CACHET_CREDENTIALS_PROVIDER_GET_IFACE (self)->lookup_async (self, account_id, kind, cancellable,
                                                              callback, user_data);
}

/**
 * cachet_credentials_provider_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the secret, or %NULL when none is
 *   stored or on error. Free it with g_free() after wiping it.
 */
char *
cachet_credentials_provider_lookup_finish (CachetCredentialsProvider  *self,
                                           GAsyncResult               *result,
                                           GError                    **error)
{
  g_return_val_if_fail (CACHET_IS_CREDENTIALS_PROVIDER (self), NULL);

  return CACHET_CREDENTIALS_PROVIDER_GET_IFACE (self)->lookup_finish (self, result, error);
}

/**
 * cachet_credentials_provider_store_async:
 * @account_id: the id of the account
 * @kind: which secret
 * @secret: the secret, replacing any stored one
 */
void
cachet_credentials_provider_store_async (CachetCredentialsProvider *self,
                                         const char                *account_id,
                                         CachetSecretKind           kind,
                                         const char                *secret,
                                         GCancellable              *cancellable,
                                         GAsyncReadyCallback        callback,
                                         gpointer                   user_data)
{
  g_return_if_fail (CACHET_IS_CREDENTIALS_PROVIDER (self));
  g_return_if_fail (account_id != NULL);
  g_return_if_fail (secret != NULL);

  CACHET_CREDENTIALS_PROVIDER_GET_IFACE (self)->store_async (self, account_id, kind, secret,
                                                             cancellable, callback, user_data);
}

gboolean
cachet_credentials_provider_store_finish (CachetCredentialsProvider  *self,
                                          GAsyncResult               *result,
                                          GError                    **error)
{
  g_return_val_if_fail (CACHET_IS_CREDENTIALS_PROVIDER (self), FALSE);

  return CACHET_CREDENTIALS_PROVIDER_GET_IFACE (self)->store_finish (self, result, error);
}

/**
 * cachet_credentials_provider_clear_async:
 * @account_id: the id of the account
 *
 * Forgets every secret of the account, when it is removed.
 */
void
cachet_credentials_provider_clear_async (CachetCredentialsProvider *self,
                                         const char                *account_id,
                                         GCancellable              *cancellable,
                                         GAsyncReadyCallback        callback,
                                         gpointer                   user_data)
{
  g_return_if_fail (CACHET_IS_CREDENTIALS_PROVIDER (self));
  g_return_if_fail (account_id != NULL);

  CACHET_CREDENTIALS_PROVIDER_GET_IFACE (self)->clear_async (self, account_id, cancellable,
                                                             callback, user_data);
}

gboolean
cachet_credentials_provider_clear_finish (CachetCredentialsProvider  *self,
                                          GAsyncResult               *result,
                                          GError                    **error)
{
  g_return_val_if_fail (CACHET_IS_CREDENTIALS_PROVIDER (self), FALSE);

  return CACHET_CREDENTIALS_PROVIDER_GET_IFACE (self)->clear_finish (self, result, error);
}
