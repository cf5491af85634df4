/* cachet-sasl.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cachet-net-error.h"
#include "cachet-sasl.h"

/**
 * CachetSasl:
 *
 * The client side of one SASL exchange, as a pure encoder: it turns
 * credentials and the server's base64 challenges into base64 responses and
 * does no I/O, so IMAP AUTHENTICATE and SMTP AUTH share it and tests feed it
 * RFC examples directly.
 *
 * The protocol layer creates one for the mechanism that
 * cachet_sasl_choose_mechanism() picked, sends
 * cachet_sasl_get_initial_response() with the command when the server allows
 * an initial response (IMAP SASL-IR, always in SMTP), then answers each
 * continuation with cachet_sasl_respond(). Every response holds the credential
 * in base64: send it only with %CACHET_WRITE_CREDENTIALS and free it with
 * cachet_secret_free(). The object wipes its own copy when finalized.
 */
struct _CachetSasl
{
  GObject parent_instance;

  CachetSaslMechanism mechanism;
  char *message;          /* the client's message (LOGIN: the user name) */
  gsize message_length;   /* PLAIN's message holds NUL bytes */
  char *password;         /* LOGIN's second message */
  guint step;             /* messages sent so far */
  char *server_error;
};

G_DEFINE_FINAL_TYPE (CachetSasl, cachet_sasl, G_TYPE_OBJECT)

static const char * const mechanism_names[] = {
  [CACHET_SASL_MECHANISM_EXTERNAL] = "EXTERNAL",
  [CACHET_SASL_MECHANISM_OAUTHBEARER] = "OAUTHBEARER",
  [CACHET_SASL_MECHANISM_XOAUTH2] = "XOAUTH2",
  [CACHET_SASL_MECHANISM_PLAIN] = "PLAIN",
  [CACHET_SASL_MECHANISM_LOGIN] = "LOGIN",
};

/**
 * cachet_secret_free:
 * @secret: (nullable) (transfer full): a string holding a credential
 *
 * Overwrites @secret with zeros, then frees it, so that the credential does
 * not linger in freed memory.
 */
void
cachet_secret_free (char *secret)
{
  if (secret == NULL)
    return;

  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

/**
 * cachet_secret_to_bytes:
 * @secret: (transfer full): a string holding a credential, typically a whole
 *   protocol line built around a SASL response
 *
 * Wraps @secret for cachet_connection_write_async() without a copy; it is
 * wiped when the last reference to the bytes goes.
 *
 * Returns: (transfer full): the bytes of @secret, without its NUL terminator
 */
GBytes *
cachet_secret_to_bytes (char *secret)
{
  g_return_val_if_fail (secret != NULL, NULL);

  return g_bytes_new_with_free_func (secret, strlen (secret),
                                     (GDestroyNotify) cachet_secret_free, secret);
}

static void
cachet_sasl_finalize (GObject *object)
{
  CachetSasl *self = CACHET_SASL (object);

  if (self->message != NULL)
    explicit_bzero (self->message, self->message_length);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->password, cachet_secret_free);
  g_clear_pointer (&self->server_error, g_free);

  G_OBJECT_CLASS (cachet_sasl_parent_class)->finalize (object);
}

static void
cachet_sasl_class_init (CachetSaslClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cachet_sasl_finalize;
}

static void
cachet_sasl_init (CachetSasl *self)
{
}

static CachetSasl *
sasl_new (CachetSaslMechanism  mechanism,
          char                *message,
          gsize                message_length)
{
  CachetSasl *self = g_object_new (CACHET_TYPE_SASL, NULL);

  self->mechanism = mechanism;
  self->message = message;
  self->message_length = message_length;

  return self;
}

static gboolean
invalid_credentials (GError     **error,
                     const char  *message)
{
  g_set_error_literal (error, CACHET_NET_ERROR, CACHET_NET_ERROR_SASL_INVALID_CREDENTIALS,
                       message);
  return FALSE;
}

/* SASL messages are UTF-8 (RFC 4422 §4); @forbidden lists the bytes that
 * would break the mechanism's framing. A C string cannot hold NUL, which is
 * PLAIN's separator, so that one is excluded by the type. */
static gboolean
check_text (const char  *text,
            const char  *forbidden,
            GError     **error)
{
  if (!g_utf8_validate (text, -1, NULL))
    return invalid_credentials (error, _("The user name, password or token is not valid "
                                         "UTF-8 text and cannot be sent."));
  if (text[strcspn (text, forbidden)] != '\0')
    return invalid_credentials (error, _("The user name, password or token contains a "
                                         "character that this sign-in method cannot send."));
  return TRUE;
}

static gboolean
check_required (const char  *text,
                const char  *forbidden,
                GError     **error)
{
  if (text == NULL || *text == '\0')
    return invalid_credentials (error, _("The user name, password or token is empty."));
  return check_text (text, forbidden, error);
}

/* b64token of RFC 6750 §2.1: nothing else may appear in a bearer token, so a
 * stray control character cannot reach the server's parser. */
static gboolean
check_token (const char  *token,
             GError     **error)
{
  static const char token_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                    "0123456789-._~+/";
  gsize length;

  if (token == NULL || *token == '\0')
    return invalid_credentials (error, _("The user name, password or token is empty."));

  length = strspn (token, token_chars);
  while (token[length] == '=')
    length++;
  if (length == 0 || token[length] != '\0')
    return invalid_credentials (error, _("The access token contains characters that a "
                                         "bearer token cannot contain."));
  return TRUE;
}

/**
 * cachet_sasl_new_plain:
 * @authzid: (nullable): the identity to act as, if not the user's own
 * @user: the user name (authentication identity)
 * @password: the password
 * @error: return location for a #GError
 *
 * PLAIN (RFC 4616): `[authzid] NUL user NUL password`, in one message.
 *
 * Returns: (transfer full) (nullable): the exchange, or %NULL with
 *   %CACHET_NET_ERROR_SASL_INVALID_CREDENTIALS
 */
CachetSasl *
cachet_sasl_new_plain (const char  *authzid,
                       const char  *user,
                       const char  *password,
                       GError     **error)
{
  gsize authzid_length;
  gsize user_length;
  gsize password_length;
  char *message;

  if (authzid == NULL)
    authzid = "";
  if (!check_text (authzid, "", error) ||
      !check_required (user, "", error) ||
      !check_required (password, "", error))
    return NULL;

  /* Built in place: a growing GString would leave copies of the password in
   * memory it frees along the way. */
  authzid_length = strlen (authzid);
  user_length = strlen (user);
  password_length = strlen (password);
  message = g_malloc (authzid_length + user_length + password_length + 2);
  memcpy (message, authzid, authzid_length);
  message[authzid_length] = '\0';
  memcpy (message + authzid_length + 1, user, user_length);
  message[authzid_length + 1 + user_length] = '\0';
  memcpy (message + authzid_length + user_length + 2, password, password_length);

  return sasl_new (CACHET_SASL_MECHANISM_PLAIN, message,
                   authzid_length + user_length + password_length + 2);
}

/**
 * cachet_sasl_new_login:
 * @user: the user name
 * @password: the password
 * @error: return location for a #GError
 *
 * LOGIN: the user name, then the password, each in answer to a challenge.
 * Neither may contain a line break, which some servers would cut at.
 *
 * Returns: (transfer full) (nullable): the exchange, or %NULL with
 *   %CACHET_NET_ERROR_SASL_INVALID_CREDENTIALS
 */
CachetSasl *
cachet_sasl_new_login (const char  *user,
                       const char  *password,
                       GError     **error)
{
  CachetSasl *self;

  if (!check_required (user, "\r\n", error) || !check_required (password, "\r\n", error))
    return NULL;

  self = sasl_new (CACHET_SASL_MECHANISM_LOGIN, g_strdup (user), strlen (user));
  self->password = g_strdup (password);

  return self;
}

/**
 * cachet_sasl_new_external:
 * @authzid: (nullable): the identity to act as; %NULL or "" lets the server
 *   derive it from the client certificate
 * @error: return location for a #GError
 *
 * EXTERNAL (RFC 4422 appendix A), for a connection whose TLS handshake
 * presented a client certificate.
 *
 * Returns: (transfer full) (nullable): the exchange, or %NULL with
 *   %CACHET_NET_ERROR_SASL_INVALID_CREDENTIALS
 */
CachetSasl *
cachet_sasl_new_external (const char  *authzid,
                          GError     **error)
{
  if (authzid == NULL)
    authzid = "";
  if (!check_text (authzid, "", error))
    return NULL;

  return sasl_new (CACHET_SASL_MECHANISM_EXTERNAL, g_strdup (authzid), strlen (authzid));
}

/**
 * cachet_sasl_new_xoauth2:
 * @user: the mailbox address
 * @token: an OAuth 2.0 access token
 * @error: return location for a #GError
 *
 * XOAUTH2, as Google and Microsoft define it and MSSanté uses it with Pro Santé
 * Connect tokens: `user=USER ^A auth=Bearer TOKEN ^A ^A`.
 *
 * Returns: (transfer full) (nullable): the exchange, or %NULL with
 *   %CACHET_NET_ERROR_SASL_INVALID_CREDENTIALS
 */
CachetSasl *
cachet_sasl_new_xoauth2 (const char  *user,
                         const char  *token,
                         GError     **error)
{
  char *message;

  if (!check_required (user, "\001", error) || !check_token (token, error))
    return NULL;

  message = g_strconcat ("user=", user, "\001auth=Bearer ", token, "\001\001", NULL);
  return sasl_new (CACHET_SASL_MECHANISM_XOAUTH2, message, strlen (message));
}

/* saslname of RFC 5801 §4: ',' and '=' are escaped in the GS2 header. */
static char *
escape_saslname (const char *name)
{
  GString *escaped = g_string_new (NULL);

  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p == ',')
        g_string_append (escaped, "=2C");
      else if (*p == '=')
        g_string_append (escaped, "=3D");
      else
        g_string_append_c (escaped, *p);
    }

  return g_string_free (escaped, FALSE);
}

/**
 * cachet_sasl_new_oauthbearer:
 * @user: (nullable): the mailbox address, sent as the authorization identity
 * @host: (nullable): the server's host name, as the client connected to it
 * @port: the server's port, or 0 to leave it out
 * @token: an OAuth 2.0 access token
 * @error: return location for a #GError
 *
 * OAUTHBEARER (RFC 7628): `n,a=USER,^Ahost=HOST^Aport=PORT^Aauth=Bearer TOKEN^A^A`.
 *
 * Returns: (transfer full) (nullable): the exchange, or %NULL with
 *   %CACHET_NET_ERROR_SASL_INVALID_CREDENTIALS
 */
CachetSasl *
cachet_sasl_new_oauthbearer (const char  *user,
                             const char  *host,
                             guint16      port,
                             const char  *token,
                             GError     **error)
{
  g_autofree char *gs2_user = NULL;
  g_autofree char *host_field = NULL;
  g_autofree char *port_field = NULL;
  char *message;

  if ((user != NULL && !check_text (user, "\001", error)) ||
      (host != NULL && !check_required (host, "\001", error)) ||
      !check_token (token, error))
    return NULL;

  gs2_user = user != NULL && *user != '\0' ? escape_saslname (user) : NULL;
  host_field = host != NULL ? g_strconcat ("host=", host, "\001", NULL) : g_strdup ("");
  port_field = port != 0 ? g_strdup_printf ("port=%u\001", port) : g_strdup ("");
  message = g_strconcat ("n,", gs2_user != NULL ? "a=" : "", gs2_user != NULL ? gs2_user : "",
                         ",\001", host_field, port_field, "auth=Bearer ", token, "\001\001",
                         NULL);

  return sasl_new (CACHET_SASL_MECHANISM_OAUTHBEARER, message, strlen (message));
}

/**
 * cachet_sasl_choose_mechanism:
 * @offered: (array zero-terminated=1): the mechanisms the server offers, as it
 *   names them (IMAP `AUTH=` capabilities, SMTP `AUTH` keyword)
 * @available: what the account can sign in with
 * @mechanism: (out): the mechanism to use
 * @error: return location for a #GError
 *
 * Picks the strongest mechanism both sides support: EXTERNAL when a client
 * certificate was presented, then OAUTHBEARER and XOAUTH2 with a token, then
 * PLAIN and LOGIN with a password. Only call it with the capabilities received
 * after TLS: a list read before could have been forged to force a weaker
 * choice.
 *
 * Returns: %TRUE if a mechanism fits; %FALSE with
 *   %CACHET_NET_ERROR_SASL_NO_MECHANISM otherwise
 */
gboolean
cachet_sasl_choose_mechanism (const char * const     *offered,
                              CachetSaslCredentials   available,
                              CachetSaslMechanism    *mechanism,
                              GError                **error)
{
  static const CachetSaslCredentials needs[] = {
    [CACHET_SASL_MECHANISM_EXTERNAL] = CACHET_SASL_CREDENTIALS_CLIENT_CERTIFICATE,
    [CACHET_SASL_MECHANISM_OAUTHBEARER] = CACHET_SASL_CREDENTIALS_OAUTH_TOKEN,
    [CACHET_SASL_MECHANISM_XOAUTH2] = CACHET_SASL_CREDENTIALS_OAUTH_TOKEN,
    [CACHET_SASL_MECHANISM_PLAIN] = CACHET_SASL_CREDENTIALS_PASSWORD,
    [CACHET_SASL_MECHANISM_LOGIN] = CACHET_SASL_CREDENTIALS_PASSWORD,
  };

  g_return_val_if_fail (mechanism != NULL, FALSE);

  for (guint m = 0; m < G_N_ELEMENTS (needs); m++)
    {
      if ((available & needs[m]) == 0)
        continue;
      for (gsize i = 0; offered != NULL && offered[i] != NULL; i++)
        {
          if (g_ascii_strcasecmp (offered[i], mechanism_names[m]) == 0)
            {
              *mechanism = (CachetSaslMechanism) m;
              return TRUE;
            }
        }
    }

  g_set_error_literal (error, CACHET_NET_ERROR, CACHET_NET_ERROR_SASL_NO_MECHANISM,
                       _("The server offers no sign-in method that this account can use. "
                         "Check the account’s sign-in settings with your operator."));
  return FALSE;
}

/**
 * cachet_sasl_mechanism_to_string:
 *
 * Returns: (transfer none): the mechanism's name in AUTHENTICATE and AUTH
 */
const char *
cachet_sasl_mechanism_to_string (CachetSaslMechanism mechanism)
{
  g_return_val_if_fail ((guint) mechanism < G_N_ELEMENTS (mechanism_names), NULL);

  return mechanism_names[mechanism];
}

CachetSaslMechanism
cachet_sasl_get_mechanism (CachetSasl *self)
{
  g_return_val_if_fail (CACHET_IS_SASL (self), CACHET_SASL_MECHANISM_PLAIN);

  return self->mechanism;
}

static char *
encode (const char *data,
        gsize       length)
{
  return g_base64_encode ((const guchar *) data, length);
}

/**
 * cachet_sasl_get_initial_response:
 *
 * The response to send with the command itself (`AUTHENTICATE PLAIN <here>`,
 * `AUTH PLAIN <here>`), saving a round trip. Call it at most once, before any
 * cachet_sasl_respond(), or not at all if the server does not take initial
 * responses (IMAP without SASL-IR).
 *
 * Returns: (transfer full) (nullable): the base64 response, "=" for an empty
 *   one (RFC 4959, RFC 4954), or %NULL for LOGIN, which has none; free it with
 *   cachet_secret_free()
 */
char *
cachet_sasl_get_initial_response (CachetSasl *self)
{
  g_return_val_if_fail (CACHET_IS_SASL (self), NULL);
  g_return_val_if_fail (self->step == 0, NULL);

  if (self->mechanism == CACHET_SASL_MECHANISM_LOGIN)
    return NULL;

  self->step = 1;
  if (self->message_length == 0)
    return g_strdup ("=");
  return encode (self->message, self->message_length);
}

/* Strict RFC 4648 base64: g_base64_decode() skips bad characters silently,
 * which would let a garbled challenge pass for a different one. */
static guchar *
decode_challenge (const char  *challenge,
                  gsize       *length,
                  GError     **error)
{
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                 "0123456789+/";
  gsize size = strlen (challenge);
  gsize data = strspn (challenge, alphabet);
  gsize padding = size - data;

  if (size % 4 != 0 || padding > 2 || strspn (challenge + data, "=") != padding)
    {
      g_set_error_literal (error, CACHET_NET_ERROR, CACHET_NET_ERROR_SASL_PROTOCOL,
                           _("The server sent a malformed sign-in challenge."));
      return NULL;
    }
  if (size == 0)
    {
      *length = 0;
      return g_new0 (guchar, 1);
    }

  return g_base64_decode (challenge, length);
}

static char *
unexpected_challenge (CachetSasl  *self,
                      GError     **error)
{
  g_set_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_SASL_PROTOCOL,
               _("The server sent an unexpected challenge during %s sign-in."),
               mechanism_names[self->mechanism]);
  return NULL;
}

/**
 * cachet_sasl_respond:
 * @challenge: the server's challenge in base64, without the `+ ` or `334 `
 *   prefix ("" for an empty one)
 * @error: return location for a #GError
 *
 * Answers one challenge. After an OAUTHBEARER or XOAUTH2 initial response, a
 * challenge is the server's JSON error report: it is kept for
 * cachet_sasl_get_server_error() and answered with the dummy response the
 * mechanism requires (`^A` for OAUTHBEARER, empty for XOAUTH2), after which
 * the server fails the command.
 *
 * Returns: (transfer full) (nullable): the base64 response (possibly ""),
 *   to free with cachet_secret_free(); %NULL with
 *   %CACHET_NET_ERROR_SASL_PROTOCOL for a malformed or unexpected challenge
 */
char *
cachet_sasl_respond (CachetSasl  *self,
                     const char  *challenge,
                     GError     **error)
{
  g_autofree guchar *decoded = NULL;
  gsize decoded_length = 0;

  g_return_val_if_fail (CACHET_IS_SASL (self), NULL);
  g_return_val_if_fail (challenge != NULL, NULL);

  decoded = decode_challenge (challenge, &decoded_length, error);
  if (decoded == NULL)
    return NULL;

  switch (self->mechanism)
    {
    case CACHET_SASL_MECHANISM_LOGIN:
      /* The challenges ("Username:", "Password:") vary between servers and
       * carry no information; only their order counts. */
      self->step++;
      if (self->step == 1)
        return encode (self->message, self->message_length);
      if (self->step == 2)
        return encode (self->password, strlen (self->password));
      return unexpected_challenge (self, error);

    case CACHET_SASL_MECHANISM_OAUTHBEARER:
    case CACHET_SASL_MECHANISM_XOAUTH2:
      if (self->step == 1)
        {
          self->step++;
          g_free (self->server_error);
          self->server_error = g_utf8_make_valid ((const char *) decoded,
                                                  (gssize) decoded_length);
          /* RFC 7628 §3.2.3 asks for a single ^A; Google's and Microsoft's
           * XOAUTH2 for an empty response. */
          if (self->mechanism == CACHET_SASL_MECHANISM_OAUTHBEARER)
            return encode ("\001", 1);
          return g_strdup ("");
        }
      G_GNUC_FALLTHROUGH;

    case CACHET_SASL_MECHANISM_EXTERNAL:
    case CACHET_SASL_MECHANISM_PLAIN:
      /* Without an initial response, the server asks with an empty challenge. */
      if (self->step == 0 && decoded_length == 0)
        {
          self->step++;
          return encode (self->message, self->message_length);
        }
      return unexpected_challenge (self, error);

    default:
      g_assert_not_reached ();
    }
}

/**
 * cachet_sasl_get_server_error:
 *
 * Returns: (transfer none) (nullable): the JSON error report an OAUTHBEARER or
 *   XOAUTH2 server sent (for example `{"status":"invalid_token"}`), to tell an
 *   expired token from a refused one; %NULL if there was none
 */
const char *
cachet_sasl_get_server_error (CachetSasl *self)
{
  g_return_val_if_fail (CACHET_IS_SASL (self), NULL);

  return self->server_error;
}
