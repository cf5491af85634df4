/* cachet-trust.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cachet-net-error.h"
#include "cachet-trust.h"

/**
 * CachetTrust:
 *
 * Which authorities an account trusts for its servers' certificates: the
 * system's store, or only the anchors of one CA file (MSSanté accounts trust
 * the IGC-Santé anchors and nothing else). Each policy owns its
 * #GTlsDatabase, which connections hand to GIO for chain and host name
 * verification.
 *
 * There is no way to accept a certificate that fails verification: an
 * exception mechanism trains users to click through, and a stolen or
 * mis-issued certificate is exactly what it would let in.
 */
struct _CachetTrust
{
  GObject parent_instance;

  GTlsDatabase *database;
  char *ca_file;   /* NULL for the system store */
};

G_DEFINE_FINAL_TYPE (CachetTrust, cachet_trust, G_TYPE_OBJECT)

static void
cachet_trust_finalize (GObject *object)
{
  CachetTrust *self = CACHET_TRUST (object);

  g_clear_object (&self->database);
  g_clear_pointer (&self->ca_file, g_free);

  G_OBJECT_CLASS (cachet_trust_parent_class)->finalize (object);
}

static void
cachet_trust_class_init (CachetTrustClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cachet_trust_finalize;
}

static void
cachet_trust_init (CachetTrust *self)
{
}

static gboolean
check_tls_backend (GError **error)
{
  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_set_error_literal (error, CACHET_NET_ERROR, CACHET_NET_ERROR_TLS_UNAVAILABLE,
                           _("Secure connections are not available on this computer: "
                             "the glib-networking package is missing."));
      return FALSE;
    }
  return TRUE;
}

/**
 * cachet_trust_new_system:
 * @error: return location for a #GError
 *
 * The policy of ordinary accounts: the authorities of the system's trust store.
 *
 * Returns: (transfer full) (nullable): the policy, or %NULL if TLS is missing
 */
CachetTrust *
cachet_trust_new_system (GError **error)
{
  CachetTrust *self;

  if (!check_tls_backend (error))
    return NULL;

  self = g_object_new (CACHET_TYPE_TRUST, NULL);
  self->database = g_tls_backend_get_default_database (g_tls_backend_get_default ());

  return self;
}

/**
 * cachet_trust_new_for_ca_file:
 * @ca_file: a file of PEM certificates, the only anchors this policy trusts
 * @error: return location for a #GError
 *
 * The policy of accounts whose operator names its authorities, such as the
 * IGC-Santé for MSSanté: a certificate is accepted only if it chains up to one
 * of the anchors in @ca_file; the system store plays no part.
 *
 * Returns: (transfer full) (nullable): the policy, or %NULL with
 *   %CACHET_NET_ERROR_CA_FILE if the file cannot be read or holds no certificate
 */
CachetTrust *
cachet_trust_new_for_ca_file (const char  *ca_file,
                              GError     **error)
{
  g_autolist(GTlsCertificate) anchors = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  CachetTrust *self;

  g_return_val_if_fail (ca_file != NULL, NULL);

  if (!check_tls_backend (error))
    return NULL;

  /* GTlsFileDatabase accepts an empty or unreadable file silently and would
   * then fail every server with "unknown authority"; say what is wrong with
   * the file instead. */
  anchors = g_tls_certificate_list_new_from_file (ca_file, &local_error);
  if (local_error == NULL && anchors == NULL)
    {
      g_set_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_CA_FILE,
                   _("The CA file “%s” holds no certificate. It must contain the PEM "
                     "certificates of the authorities your operator gave you."),
                   ca_file);
      return NULL;
    }
  if (local_error == NULL)
    database = g_tls_file_database_new (ca_file, &local_error);
  if (local_error != NULL)
    {
      g_set_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_CA_FILE,
                   _("The CA file “%s” cannot be used: %s"), ca_file, local_error->message);
      return NULL;
    }

  self = g_object_new (CACHET_TYPE_TRUST, NULL);
  self->database = g_steal_pointer (&database);
  self->ca_file = g_strdup (ca_file);

  return self;
}

/**
 * cachet_trust_get_database:
 *
 * Returns: (transfer none): the database to verify server certificates with
 */
GTlsDatabase *
cachet_trust_get_database (CachetTrust *self)
{
  g_return_val_if_fail (CACHET_IS_TRUST (self), NULL);

  return self->database;
}

/**
 * cachet_trust_check:
 * @errors: what verification found wrong with a server's certificate
 * @host: the server's host name, for the message
 * @error: return location for a #GError
 *
 * Turns verification flags into the one error the user should act on. When
 * several flags are set, the first in this order wins, because it makes the
 * others moot: unknown authority (nothing in the certificate can be believed),
 * revoked, wrong host name (it may be another server altogether), expired, not
 * yet valid, insecure algorithm, anything else.
 *
 * Returns: %TRUE if @errors is empty; otherwise %FALSE with @error set to one
 *   of the `CACHET_NET_ERROR_CERTIFICATE_*` codes
 */
gboolean
cachet_trust_check (CachetTrust           *self,
                    GTlsCertificateFlags   errors,
                    const char            *host,
                    GError               **error)
{
  g_return_val_if_fail (CACHET_IS_TRUST (self), FALSE);
  g_return_val_if_fail (host != NULL, FALSE);

  if (errors == G_TLS_CERTIFICATE_NO_FLAGS)
    return TRUE;

  if (errors & G_TLS_CERTIFICATE_UNKNOWN_CA)
    {
      if (self->ca_file != NULL)
        g_set_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_CERTIFICATE_UNKNOWN_CA,
                     _("The certificate of %s was not issued by an authority of the account’s "
                       "CA file. Check that the file is the one your operator gave you."),
                     host);
      else
        g_set_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_CERTIFICATE_UNKNOWN_CA,
                     _("The certificate of %s was not issued by an authority this account "
                       "trusts. If your operator gave you a CA file, add it to the account."),
                     host);
    }
  else if (errors & G_TLS_CERTIFICATE_REVOKED)
    g_set_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_CERTIFICATE_REVOKED,
                 _("The certificate of %s has been revoked by its authority. Do not use this "
                   "server and tell your operator."),
                 host);
  else if (errors & G_TLS_CERTIFICATE_BAD_IDENTITY)
    g_set_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_CERTIFICATE_BAD_IDENTITY,
                 _("The server at %s presented a certificate for another name. Check the "
                   "server name in the account; if it is right, tell your operator."),
                 host);
  else if (errors & G_TLS_CERTIFICATE_EXPIRED)
    g_set_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_CERTIFICATE_EXPIRED,
                 _("The certificate of %s has expired. Check that this computer’s date is "
                   "right; if it is, tell your operator."),
                 host);
  else if (errors & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    g_set_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_CERTIFICATE_NOT_ACTIVATED,
                 _("The certificate of %s is not valid yet. Check that this computer’s date "
                   "and time are right."),
                 host);
  else if (errors & G_TLS_CERTIFICATE_INSECURE)
    g_set_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_CERTIFICATE_INSECURE,
                 _("The certificate of %s uses an algorithm that is no longer secure. "
                   "Tell your operator."),
                 host);
  else
    g_set_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_CERTIFICATE_INVALID,
                 _("The certificate of %s could not be verified. Tell your operator."),
                 host);

  return FALSE;
}
