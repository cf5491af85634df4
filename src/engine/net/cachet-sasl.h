/* cachet-sasl.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * CachetSaslMechanism:
 * @CACHET_SASL_MECHANISM_EXTERNAL: RFC 4422 appendix A: the TLS client
 *   certificate is the credential
 * @CACHET_SASL_MECHANISM_OAUTHBEARER: RFC 7628, an OAuth 2.0 bearer token
 * @CACHET_SASL_MECHANISM_XOAUTH2: the Google and Microsoft predecessor of
 *   OAUTHBEARER; MSSanté's Pro Santé Connect sign-in uses it
 * @CACHET_SASL_MECHANISM_PLAIN: RFC 4616, user name and password
 * @CACHET_SASL_MECHANISM_LOGIN: the obsolete two-step user name and password
 *   exchange, for servers that offer nothing better
 *
 * In order of preference.
 */
typedef enum
{
  CACHET_SASL_MECHANISM_EXTERNAL,
  CACHET_SASL_MECHANISM_OAUTHBEARER,
  CACHET_SASL_MECHANISM_XOAUTH2,
  CACHET_SASL_MECHANISM_PLAIN,
  CACHET_SASL_MECHANISM_LOGIN,
} CachetSaslMechanism;

/**
 * CachetSaslCredentials:
 * @CACHET_SASL_CREDENTIALS_NONE: nothing
 * @CACHET_SASL_CREDENTIALS_CLIENT_CERTIFICATE: a TLS client certificate was
 *   presented during the handshake
 * @CACHET_SASL_CREDENTIALS_OAUTH_TOKEN: an OAuth access token can be obtained
 * @CACHET_SASL_CREDENTIALS_PASSWORD: a password is known
 *
 * What an account can sign in with.
 */
typedef enum /*< flags >*/
{
  CACHET_SASL_CREDENTIALS_NONE = 0,
  CACHET_SASL_CREDENTIALS_CLIENT_CERTIFICATE = 1 << 0,
  CACHET_SASL_CREDENTIALS_OAUTH_TOKEN = 1 << 1,
  CACHET_SASL_CREDENTIALS_PASSWORD = 1 << 2,
} CachetSaslCredentials;

/**
 * CachetSecret:
 *
 * A string that carries a credential, even if only base64-encoded: free it
 * with cachet_secret_free(), which wipes it first, or declare it with
 * `g_auto(CachetSecret)`.
 */
typedef char *CachetSecret;

void     cachet_secret_free     (char *secret);
GBytes  *cachet_secret_to_bytes (char *secret);

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (CachetSecret, cachet_secret_free, NULL)

#define CACHET_TYPE_SASL (cachet_sasl_get_type ())

G_DECLARE_FINAL_TYPE (CachetSasl, cachet_sasl, CACHET, SASL, GObject)

gboolean             cachet_sasl_choose_mechanism        (const char * const     *offered,
                                                          CachetSaslCredentials   available,
                                                          CachetSaslMechanism    *mechanism,
                                                          GError                **error);
const char          *cachet_sasl_mechanism_to_string     (CachetSaslMechanism     mechanism);

CachetSasl          *cachet_sasl_new_plain               (const char             *authzid,
                                                          const char             *user,
                                                          const char             *password,
                                                          GError                **error);
CachetSasl          *cachet_sasl_new_login               (const char             *user,
                                                          const char             *password,
                                                          GError                **error);
CachetSasl          *cachet_sasl_new_external            (const char             *authzid,
                                                          GError                **error);
CachetSasl          *cachet_sasl_new_xoauth2             (const char             *user,
                                                          const char             *token,
                                                          GError                **error);
CachetSasl          *cachet_sasl_new_oauthbearer         (const char             *user,
                                                          const char             *host,
                                                          guint16                 port,
                                                          const char             *token,
                                                          GError                **error);

CachetSaslMechanism  cachet_sasl_get_mechanism           (CachetSasl             *self);
char                *cachet_sasl_get_initial_response    (CachetSasl             *self);
char                *cachet_sasl_respond                 (CachetSasl             *self,
                                                          const char             *challenge,
                                                          GError                **error);
const char          *cachet_sasl_get_server_error        (CachetSasl             *self);

G_END_DECLS
