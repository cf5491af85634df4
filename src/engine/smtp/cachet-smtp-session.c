/* cachet-smtp-session.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cachet-connection.h"
#include "cachet-net-error.h"
#include "cachet-sasl.h"
#include "cachet-server-address.h"
#include "cachet-smtp-encoding.h"
#include "cachet-smtp-error.h"
#include "cachet-smtp-send-result-private.h"
#include "cachet-smtp-session.h"
#include "cachet-trust.h"

/**
 * CachetSmtpSession:
 *
 * One connection to an account's submission server (RFC 6409), over which
 * messages are sent one after the other:
 *
 * - cachet_smtp_session_connect_async() connects to the account's SMTP
 *   address, reads the 220 greeting and says EHLO (never HELO: a server
 *   without ESMTP can neither encrypt nor authenticate). On a `smtp://`
 *   address STARTTLS is mandatory: not offered or refused, the session ends
 *   with %CACHET_NET_ERROR_STARTTLS_REFUSED before anything else is sent.
 *   Anything the server sends between its go-ahead and the handshake ends
 *   the session (%CACHET_NET_ERROR_STARTTLS_INJECTION); everything learnt
 *   before TLS is forgotten, and EHLO is said again. It then signs in
 *   with the strongest mechanism both sides have (EXTERNAL with a client
 *   certificate, OAUTHBEARER or XOAUTH2 with a token, PLAIN, LOGIN), with an
 *   initial response when it fits in a command line, the password coming from
 *   the #CachetCredentialsProvider, and only over TLS.
 * - cachet_smtp_session_send_async() sends one message: MAIL FROM with SIZE,
 *   BODY=8BITMIME, SMTPUTF8 and the DSN parameters as needed and offered, one
 *   RCPT TO per recipient, DATA; all in one write when the server offers
 *   PIPELINING. Addresses, the message and the server's limits are checked
 *   before anything is sent. The message is streamed, dot-stuffed with its
 *   line breaks normalised to CRLF, in bounded chunks. A recipient the server
 *   refuses does not fail the send: the #CachetSmtpSendResult lists each one.
 *   When the transaction is left half-done (no recipient accepted, DATA
 *   refused), RSET ends it, and the session can send the next message.
 * - cachet_smtp_session_close_async() says QUIT.
 *
 * There is no reconnection here: after an error that leaves the protocol in
 * an unknown state (an I/O error, a timeout, a cancellation, a reply that
 * cannot be parsed) or that ends the session (greeting, EHLO, STARTTLS or
 * sign-in refused), the connection is closed and the outbox starts a new
 * session when cachet_smtp_error_is_temporary() says so.
 *
 * Logs carry command names and reply codes only: never an address, a
 * credential or message content.
 */

/* RFC 5321 §4.5.3.1.4 and RFC 4954 §4: a command line, CRLF included; an
 * AUTH initial response that would not fit goes after a 334 instead. */
#define MAX_COMMAND_LINE 512

/* A SASL exchange that takes more steps than any mechanism we use needs is a
 * server trying to keep us talking. */
#define MAX_SASL_STEPS 8

/* What goes to the connection in one write while streaming a message. */
#define DATA_CHUNK_SIZE (64 * 1024)

/* RFC 3461 §4.4. */
#define MAX_ENVID_LENGTH 100

typedef enum
{
  STATE_NEW,
  STATE_CONNECTING,
  STATE_READY,
  STATE_BUSY,
  STATE_CLOSED,
} SessionState;

/* How an operation that failed leaves the session. */
typedef enum
{
  END_KEEP,       /* the protocol state is clean: the session stays usable */
  END_QUIT,       /* the server answered, but the session cannot go on: QUIT, close */
  END_CLOSE,      /* the protocol state is unknown: close at once */
} EndMode;

typedef void (*ReplyFunc) (GTask           *task,
                           CachetSmtpReply *reply);
typedef void (*StepFunc)  (GTask           *task);

struct _CachetSmtpSession
{
  GObject parent_instance;

  CachetAccount *account;
  CachetCredentialsProvider *credentials;
  GTlsCertificate *client_certificate;
  char *oauth_token;
  guint command_timeout_ms;
  guint data_end_timeout_ms;

  SessionState state;
  CachetServerAddress *address;
  CachetConnection *connection;
  CachetSmtpReplyParser *parser;
  CachetSmtpReply *last_reply;
  GHashTable *extensions;         /* upper-case keyword -> parameters ("" if none) */
  const char *auth_mechanism;     /* static string, once signed in */

  /* The continuation of the read or write in progress: one operation at a
   * time, and within it one read or one write. */
  ReplyFunc on_reply;
  StepFunc on_written;
  /* How the failing operation ends, once QUIT and close are done. */
  GError *failure;
};

G_DEFINE_FINAL_TYPE (CachetSmtpSession, cachet_smtp_session, G_TYPE_OBJECT)

typedef struct
{
  CachetSaslMechanism mechanism;
  CachetSasl *sasl;
  char *deferred_response;        /* an initial response too long for the AUTH line */
  guint sasl_steps;
} ConnectData;

typedef struct
{
  char *from;
  GStrv recipients;
  GBytes *message;
  CachetSmtpSendOptions *options;
  CachetSmtpMessageInfo info;
  gboolean pipelining;
  gboolean dsn;
  gboolean utf8;
  CachetSmtpSendResult *result;
  CachetSmtpReply *mail_reply;
  guint next_recipient;           /* RCPT TO commands sent (or replies read, pipelined) */
  CachetSmtpDataEncoder encoder;
  GError *error;                  /* to return once RSET or the lone dot is done */
} SendData;

static void
connect_data_free (gpointer data)
{
  ConnectData *connect = data;

  g_clear_object (&connect->sasl);
  g_clear_pointer (&connect->deferred_response, cachet_secret_free);
  g_free (connect);
}

static void
send_data_free (gpointer data)
{
  SendData *send = data;

  g_free (send->from);
  g_strfreev (send->recipients);
  g_clear_pointer (&send->message, g_bytes_unref);
  g_clear_pointer (&send->options, cachet_smtp_send_options_free);
  g_clear_pointer (&send->result, cachet_smtp_send_result_unref);
  g_clear_pointer (&send->mail_reply, cachet_smtp_reply_unref);
  g_clear_error (&send->error);
  g_free (send);
}

static const char *
host (CachetSmtpSession *self)
{
  return cachet_server_address_get_host (self->address);
}

/* "550 5.1.1", or "550" without an enhanced code: for messages, never the
 * server's text. */
static char *
describe_reply (CachetSmtpReply *reply)
{
  const char *enhanced = cachet_smtp_reply_get_enhanced_code (reply);

  if (enhanced != NULL)
    return g_strdup_printf ("%u %s", cachet_smtp_reply_get_code (reply), enhanced);
  return g_strdup_printf ("%u", cachet_smtp_reply_get_code (reply));
}

static GError *
reply_error (CachetSmtpSession *self,
             CachetSmtpError    code,
             CachetSmtpReply   *reply,
             const char        *format)
{
  g_autofree char *described = describe_reply (reply);

  /* Every format takes the host, then the reply code. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  return g_error_new (CACHET_SMTP_ERROR, code, format, host (self), described);
#pragma GCC diagnostic pop
}

static GError *
unexpected_reply (CachetSmtpSession *self,
                  CachetSmtpReply   *reply)
{
  return reply_error (self, CACHET_SMTP_ERROR_PROTOCOL, reply,
                      _("The server %s gave an unexpected answer (%s). Try again later; if this "
                        "persists, tell your operator."));
}

/* The first word of a command, for the log: never its arguments. */
static void
log_command (const char *line)
{
  gsize length = strcspn (line, " :\r\n");

  g_debug ("SMTP C: %.*s", (int) length, line);
}

/* Operation endings */

static void
return_failure (GTask *task)
{
  CachetSmtpSession *self = g_task_get_source_object (task);

  g_task_return_error (task, g_steal_pointer (&self->failure));
  g_object_unref (task);
}

static void
on_closed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;

  /* The server may well have left already. */
  if (source != NULL &&
      !cachet_connection_close_finish (CACHET_CONNECTION (source), result, &error))
    g_debug ("SMTP: closing the connection failed: %s", error->message);

  if (g_task_get_source_tag (task) == cachet_smtp_session_close_async)
    {
      CachetSmtpSession *self = g_task_get_source_object (task);

      g_clear_error (&self->failure);
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
    }
  else
    return_failure (task);
}

/* Takes ownership of @task. */
static void
close_connection (GTask *task)
{
  CachetSmtpSession *self = g_task_get_source_object (task);
  g_autoptr(CachetConnection) connection = g_steal_pointer (&self->connection);

  self->state = STATE_CLOSED;
  g_clear_pointer (&self->extensions, g_hash_table_unref);
  self->auth_mechanism = NULL;
  if (connection == NULL)
    {
      on_closed (NULL, NULL, task);
      return;
    }
  /* Not the task's cancellable: a cancelled operation must still close. The
   * connection's own deadline bounds it. */
  cachet_connection_close_async (connection, NULL, on_closed, task);
}

static void read_reply (GTask     *task,
                        ReplyFunc  func);
static void write_line (GTask            *task,
                        const char       *line,
                        CachetWriteFlags  flags,
                        StepFunc          next);

static void
on_quit_reply (GTask           *task,
               CachetSmtpReply *reply)
{
  close_connection (task);
}

static void
on_quit_written (GTask *task)
{
  read_reply (task, on_quit_reply);
}

/* Takes ownership of @task and @error. Whatever happens, the operation then
 * returns @error. */
static void
end_with_error (GTask   *task,
                GError  *error,
                EndMode  mode)
{
  CachetSmtpSession *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  g_clear_error (&self->failure);
  self->failure = error;

  if (mode == END_KEEP)
    {
      self->state = STATE_READY;
      return_failure (task);
      return;
    }
  /* QUIT only when the server is known to be listening, and not for a
   * caller who wants out now. */
  if (mode == END_QUIT && !g_cancellable_is_cancelled (cancellable))
    {
      write_line (task, "QUIT", CACHET_WRITE_NONE, on_quit_written);
      return;
    }
  close_connection (task);
}

/* Reading replies and writing commands. On I/O errors both end the
 * operation, closing the connection, unless it is QUIT that failed. */

static gboolean
is_quitting (CachetSmtpSession *self)
{
  return self->failure != NULL;
}

static void
on_reply_line (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  CachetSmtpSession *self = g_task_get_source_object (task);
  g_autoptr(CachetSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  gsize length;

  line = cachet_connection_read_line_finish (CACHET_CONNECTION (source), result, &length, &error);
  if (line == NULL && g_error_matches (error, CACHET_NET_ERROR, CACHET_NET_ERROR_LINE_TOO_LONG))
    {
      g_clear_error (&error);
      g_set_error_literal (&error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_PROTOCOL,
                           _("The mail server sent a reply line longer than SMTP allows. "
                             "Try again later; if this persists, tell your operator."));
    }
  if (line != NULL)
    cachet_smtp_reply_parser_feed_line (self->parser, line, length, &reply, &error);

  if (error != NULL)
    {
      if (is_quitting (self))
        close_connection (task);
      else
        end_with_error (task, g_steal_pointer (&error), END_CLOSE);
      return;
    }

  if (reply == NULL)
    {
      read_reply (task, self->on_reply);
      return;
    }

  if (cachet_smtp_reply_get_enhanced_code (reply) != NULL)
    g_debug ("SMTP S: %u %s", cachet_smtp_reply_get_code (reply),
             cachet_smtp_reply_get_enhanced_code (reply));
  else
    g_debug ("SMTP S: %u", cachet_smtp_reply_get_code (reply));
  /* The reply worth showing after an error is the one that caused it, not
   * the answer to the QUIT that followed. */
  if (!is_quitting (self))
    {
      g_clear_pointer (&self->last_reply, cachet_smtp_reply_unref);
      self->last_reply = cachet_smtp_reply_ref (reply);
    }

  self->on_reply (task, reply);
}

/* Takes ownership of @task; @func is called with it and the next complete
 * reply. */
static void
read_reply (GTask     *task,
            ReplyFunc  func)
{
  CachetSmtpSession *self = g_task_get_source_object (task);

  self->on_reply = func;
  cachet_connection_read_line_async (self->connection,
                                     is_quitting (self) ? NULL : g_task_get_cancellable (task),
                                     on_reply_line, task);
}

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  CachetSmtpSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!cachet_connection_write_finish (CACHET_CONNECTION (source), result, &error))
    {
      if (is_quitting (self))
        close_connection (task);
      else
        end_with_error (task, g_steal_pointer (&error), END_CLOSE);
      return;
    }

  self->on_written (task);
}

/* Takes ownership of @task and @bytes. */
static void
write_bytes (GTask            *task,
             GBytes           *bytes,
             CachetWriteFlags  flags,
             StepFunc          next)
{
  CachetSmtpSession *self = g_task_get_source_object (task);
  g_autoptr(GBytes) owned = bytes;

  self->on_written = next;
  cachet_connection_write_async (self->connection, owned, flags,
                                 is_quitting (self) ? NULL : g_task_get_cancellable (task),
                                 on_written, task);
}

/* Takes ownership of @task. @line has no line break. */
static void
write_line (GTask            *task,
            const char       *line,
            CachetWriteFlags  flags,
            StepFunc          next)
{
  log_command (line);
  write_bytes (task, g_bytes_new_take (g_strconcat (line, "\r\n", NULL), strlen (line) + 2),
               flags, next);
}

/* Connecting */

static void
finish_connect (GTask *task)
{
  CachetSmtpSession *self = g_task_get_source_object (task);

  self->state = STATE_READY;
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
fail_connect (GTask   *task,
              GError  *error,
              EndMode  mode)
{
  end_with_error (task, error, mode == END_KEEP ? END_QUIT : mode);
}

static void on_auth_reply (GTask           *task,
                           CachetSmtpReply *reply);

static void
on_auth_written (GTask *task)
{
  read_reply (task, on_auth_reply);
}

/* Takes ownership of @response, a base64 SASL message. */
static void
send_sasl_response (GTask *task,
                    char  *response)
{
  g_debug ("SMTP C: (SASL response)");
  write_bytes (task, cachet_secret_to_bytes (g_strconcat (response, "\r\n", NULL)),
               CACHET_WRITE_CREDENTIALS, on_auth_written);
  cachet_secret_free (response);
}

static void
on_auth_reply (GTask           *task,
               CachetSmtpReply *reply)
{
  CachetSmtpSession *self = g_task_get_source_object (task);
  ConnectData *data = g_task_get_task_data (task);
  CachetSaslMechanism mechanism = cachet_sasl_get_mechanism (data->sasl);
  guint code = cachet_smtp_reply_get_code (reply);
  GError *error = NULL;
  char *response;

  if (code == 334)
    {
      /* The challenge is the first line's text: base64, or empty. */
      const char *challenge = cachet_smtp_reply_get_lines (reply)[0];

      if (++data->sasl_steps > MAX_SASL_STEPS)
        {
          fail_connect (task, unexpected_reply (self, reply), END_CLOSE);
          return;
        }
      if (data->deferred_response != NULL)
        {
          if (*challenge != '\0')
            {
              fail_connect (task, unexpected_reply (self, reply), END_CLOSE);
              return;
            }
          send_sasl_response (task, g_steal_pointer (&data->deferred_response));
          return;
        }
      response = cachet_sasl_respond (data->sasl, challenge, &error);
      if (response == NULL)
        {
          fail_connect (task, error, END_CLOSE);
          return;
        }
      send_sasl_response (task, response);
      return;
    }

  if (code == 235)
    {
      self->auth_mechanism = cachet_sasl_mechanism_to_string (mechanism);
      g_debug ("SMTP: signed in with %s", self->auth_mechanism);
      finish_connect (task);
      return;
    }

  if (code == 535)
    {
      const char *format;

      switch (mechanism)
        {
        case CACHET_SASL_MECHANISM_EXTERNAL:
          format = _("The server %s refused the client certificate for signing in (%s). Ask "
                     "your operator whether this certificate may use this mailbox.");
          break;
        case CACHET_SASL_MECHANISM_OAUTHBEARER:
        case CACHET_SASL_MECHANISM_XOAUTH2:
          format = _("The server %s refused the sign-in token (%s). Sign in again, then send "
                     "again.");
          break;
        case CACHET_SASL_MECHANISM_PLAIN:
        case CACHET_SASL_MECHANISM_LOGIN:
        default:
          format = _("The server %s refused the login or password (%s). Check them in the "
                     "account settings, then send again.");
          break;
        }
      fail_connect (task, reply_error (self, CACHET_SMTP_ERROR_UNAUTHENTICATED, reply, format),
                    END_QUIT);
      return;
    }

  if (cachet_smtp_reply_get_class (reply) == 4)
    fail_connect (task, reply_error (self, CACHET_SMTP_ERROR_TEMPORARY, reply,
                                     _("The server %s could not check your sign-in right now "
                                       "(%s). Try again later.")),
                  END_QUIT);
  else if (cachet_smtp_reply_get_class (reply) == 5)
    fail_connect (task, reply_error (self, CACHET_SMTP_ERROR_PERMANENT, reply,
                                     _("The server %s refused to sign in (%s). Tell your "
                                       "operator.")),
                  END_QUIT);
  else
    fail_connect (task, unexpected_reply (self, reply), END_CLOSE);
}

/* Takes ownership of @task; data->sasl is ready. */
static void
start_auth (GTask *task)
{
  ConnectData *data = g_task_get_task_data (task);
  const char *name = cachet_sasl_mechanism_to_string (cachet_sasl_get_mechanism (data->sasl));
  g_auto(CachetSecret) initial = cachet_sasl_get_initial_response (data->sasl);
  g_autofree char *command = g_strconcat ("AUTH ", name, NULL);

  log_command (command);
  if (initial != NULL && strlen (command) + 1 + strlen (initial) + 2 <= MAX_COMMAND_LINE)
    {
      write_bytes (task, cachet_secret_to_bytes (g_strconcat (command, " ", initial, "\r\n", NULL)),
                   CACHET_WRITE_CREDENTIALS, on_auth_written);
      return;
    }

  /* Too long for the command line (an OAuth token, typically): the server
   * asks for it with an empty 334 (RFC 4954 §4). */
  data->deferred_response = g_steal_pointer (&initial);
  write_bytes (task, g_bytes_new_take (g_strconcat (command, "\r\n", NULL), strlen (command) + 2),
               CACHET_WRITE_CREDENTIALS, on_auth_written);
}

static void
on_password (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  CachetSmtpSession *self = g_task_get_source_object (task);
  ConnectData *data = g_task_get_task_data (task);
  g_auto(CachetSecret) password = NULL;
  GError *error = NULL;
  const char *login = cachet_account_get_login (self->account);

  password = cachet_credentials_provider_lookup_finish (CACHET_CREDENTIALS_PROVIDER (source),
                                                        result, &error);
  if (error != NULL)
    {
      fail_connect (task, error, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                                 ? END_CLOSE : END_QUIT);
      return;
    }
  if (password == NULL || *password == '\0')
    {
      fail_connect (task, g_error_new (CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_UNAUTHENTICATED,
                                       _("No password is saved for the account “%s”. Enter it "
                                         "in the account settings, then send again."),
                                       cachet_account_get_name (self->account)),
                    END_QUIT);
      return;
    }

  if (data->mechanism == CACHET_SASL_MECHANISM_LOGIN)
    data->sasl = cachet_sasl_new_login (login, password, &error);
  else
    data->sasl = cachet_sasl_new_plain (NULL, login, password, &error);
  if (data->sasl == NULL)
    {
      fail_connect (task, error, END_QUIT);
      return;
    }

  start_auth (task);
}

/* Takes ownership of @task. Over TLS, with the capabilities read over TLS. */
static void
authenticate (GTask *task)
{
  CachetSmtpSession *self = g_task_get_source_object (task);
  ConnectData *data = g_task_get_task_data (task);
  const char *offered = g_hash_table_lookup (self->extensions, "AUTH");
  CachetSaslCredentials available = CACHET_SASL_CREDENTIALS_NONE;
  g_auto(GStrv) mechanisms = NULL;
  GError *error = NULL;

  g_assert (cachet_connection_is_secure (self->connection));

  if (offered == NULL)
    {
      /* A server that authenticated us by our certificate during the
       * handshake need not offer SASL at all. */
      if (self->client_certificate != NULL)
        {
          g_debug ("SMTP: no AUTH offered; the client certificate signs in");
          finish_connect (task);
          return;
        }
      fail_connect (task, g_error_new (CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_NOT_SUPPORTED,
                                       _("The server %s does not offer to sign in. Check the "
                                         "server address with your operator."),
                                       host (self)),
                    END_QUIT);
      return;
    }

  if (self->client_certificate != NULL)
    available |= CACHET_SASL_CREDENTIALS_CLIENT_CERTIFICATE;
  if (self->oauth_token != NULL)
    available |= CACHET_SASL_CREDENTIALS_OAUTH_TOKEN;
  if (self->credentials != NULL)
    available |= CACHET_SASL_CREDENTIALS_PASSWORD;

  mechanisms = g_strsplit_set (offered, " ", -1);
  if (!cachet_sasl_choose_mechanism ((const char * const *) mechanisms, available,
                                     &data->mechanism, &error))
    {
      fail_connect (task, error, END_QUIT);
      return;
    }

  switch (data->mechanism)
    {
    case CACHET_SASL_MECHANISM_EXTERNAL:
      data->sasl = cachet_sasl_new_external (NULL, &error);
      break;
    case CACHET_SASL_MECHANISM_OAUTHBEARER:
      data->sasl = cachet_sasl_new_oauthbearer (cachet_account_get_login (self->account),
                                                host (self),
                                                cachet_server_address_get_port (self->address),
                                                self->oauth_token, &error);
      break;
    case CACHET_SASL_MECHANISM_XOAUTH2:
      data->sasl = cachet_sasl_new_xoauth2 (cachet_account_get_login (self->account),
                                            self->oauth_token, &error);
      break;
    case CACHET_SASL_MECHANISM_PLAIN:
    case CACHET_SASL_MECHANISM_LOGIN:
    default:
      cachet_credentials_provider_lookup_async (self->credentials,
                                                cachet_account_get_id (self->account),
                                                CACHET_SECRET_PASSWORD,
                                                g_task_get_cancellable (task), on_password, task);
      return;
    }

  if (data->sasl == NULL)
    {
      fail_connect (task, error, END_QUIT);
      return;
    }
  start_auth (task);
}

static gboolean
is_keyword (const char *word)
{
  if (!g_ascii_isalnum (word[0]))
    return FALSE;
  for (const char *p = word + 1; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-')
        return FALSE;
    }
  return TRUE;
}

static void
append_words (GString    *list,
              const char *words)
{
  g_auto(GStrv) split = g_strsplit (words, " ", -1);

  for (guint i = 0; split[i] != NULL; i++)
    {
      if (*split[i] == '\0')
        continue;
      if (list->len > 0)
        g_string_append_c (list, ' ');
      g_string_append (list, split[i]);
    }
}

/* EHLO lines after the first: "KEYWORD[ params]" (RFC 5321 §4.1.1.1). */
static void
read_extensions (CachetSmtpSession *self,
                 CachetSmtpReply   *reply)
{
  const char * const *lines = cachet_smtp_reply_get_lines (reply);
  GString *auth = NULL;

  g_clear_pointer (&self->extensions, g_hash_table_unref);
  self->extensions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 1; lines[i] != NULL; i++)
    {
      const char *space = strchr (lines[i], ' ');
      g_autofree char *keyword = g_ascii_strup (lines[i], space != NULL ? space - lines[i] : -1);
      const char *parameters = space != NULL ? space + 1 : "";

      /* Old servers (and Outlook) announce "AUTH=LOGIN PLAIN" as well. */
      if (g_str_has_prefix (keyword, "AUTH=") || strcmp (keyword, "AUTH") == 0)
        {
          if (auth == NULL)
            auth = g_string_new (NULL);
          append_words (auth, keyword[4] == '=' ? keyword + 5 : "");
          append_words (auth, parameters);
          continue;
        }
      if (!is_keyword (keyword))
        continue;
      g_hash_table_replace (self->extensions, g_steal_pointer (&keyword), g_strdup (parameters));
    }

  if (auth != NULL)
    g_hash_table_replace (self->extensions, g_strdup ("AUTH"), g_string_free (auth, FALSE));

  cachet_smtp_reply_parser_set_enhanced_status_codes (
    self->parser, g_hash_table_contains (self->extensions, "ENHANCEDSTATUSCODES"));
}

static void send_ehlo (GTask *task);

static void
on_tls (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  GTask *task = user_data;
  CachetSmtpSession *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!cachet_connection_start_tls_finish (CACHET_CONNECTION (source), result, &error))
    {
      fail_connect (task, error, END_CLOSE);
      return;
    }

  /* What we learnt in plaintext is forgotten. */
  g_clear_pointer (&self->extensions, g_hash_table_unref);
  cachet_smtp_reply_parser_set_enhanced_status_codes (self->parser, FALSE);
  cachet_smtp_reply_parser_reset (self->parser);

  send_ehlo (task);
}

static GError *
starttls_refused (CachetSmtpSession *self,
                  CachetSmtpReply   *reply)
{
  g_autofree char *described = reply != NULL ? describe_reply (reply) : NULL;

  if (described == NULL)
    return g_error_new (CACHET_NET_ERROR, CACHET_NET_ERROR_STARTTLS_REFUSED,
                        _("The server %s does not offer to encrypt the connection (STARTTLS). "
                          "Cachet never sends mail unencrypted: check the server address with "
                          "your operator."),
                        host (self));
  return g_error_new (CACHET_NET_ERROR, CACHET_NET_ERROR_STARTTLS_REFUSED,
                      _("The server %s refused to encrypt the connection (%s). Cachet never "
                        "sends mail unencrypted: try again later, or check the server address "
                        "with your operator."),
                      host (self), described);
}

static void
on_starttls_reply (GTask           *task,
                   CachetSmtpReply *reply)
{
  CachetSmtpSession *self = g_task_get_source_object (task);

  if (cachet_smtp_reply_get_code (reply) != 220)
    {
      fail_connect (task, starttls_refused (self, reply),
                    cachet_smtp_reply_get_class (reply) >= 4 ? END_QUIT : END_CLOSE);
      return;
    }

  cachet_connection_start_tls_async (self->connection, g_task_get_cancellable (task), on_tls,
                                     task);
}

static void
on_starttls_written (GTask *task)
{
  read_reply (task, on_starttls_reply);
}

static void
on_ehlo_reply (GTask           *task,
               CachetSmtpReply *reply)
{
  CachetSmtpSession *self = g_task_get_source_object (task);
  gboolean secure = cachet_connection_is_secure (self->connection);

  switch (cachet_smtp_reply_get_class (reply))
    {
    case 2:
      if (cachet_smtp_reply_get_code (reply) != 250)
        break;
      read_extensions (self, reply);
      if (secure)
        authenticate (task);
      else if (g_hash_table_contains (self->extensions, "STARTTLS"))
        write_line (task, "STARTTLS", CACHET_WRITE_NONE, on_starttls_written);
      else
        fail_connect (task, starttls_refused (self, NULL), END_QUIT);
      return;

    case 4:
      fail_connect (task, reply_error (self, CACHET_SMTP_ERROR_TEMPORARY, reply,
                                       _("The server %s is not accepting mail right now (%s). "
                                         "Try again later.")),
                    END_QUIT);
      return;

    case 5:
      /* No HELO: it can neither STARTTLS nor AUTH, so it could only serve
       * a downgrade. In plaintext, what fails is encryption. */
      if (!secure)
        fail_connect (task, starttls_refused (self, NULL), END_QUIT);
      else
        fail_connect (task, reply_error (self, CACHET_SMTP_ERROR_NOT_SUPPORTED, reply,
                                         _("The server %s does not support the extended SMTP "
                                           "that sending needs (%s). Check the server address "
                                           "with your operator.")),
                      END_QUIT);
      return;

    default:
      break;
    }

  fail_connect (task, unexpected_reply (self, reply), END_CLOSE);
}

static void
on_ehlo_written (GTask *task)
{
  read_reply (task, on_ehlo_reply);
}

static void
send_ehlo (GTask *task)
{
  write_line (task, "EHLO " CACHET_SMTP_SESSION_EHLO_DOMAIN, CACHET_WRITE_NONE, on_ehlo_written);
}

static void
on_greeting (GTask           *task,
             CachetSmtpReply *reply)
{
  CachetSmtpSession *self = g_task_get_source_object (task);

  if (cachet_smtp_reply_get_code (reply) == 220)
    send_ehlo (task);
  /* 421: the server closes the connection itself. */
  else if (cachet_smtp_reply_get_class (reply) == 4)
    fail_connect (task, reply_error (self, CACHET_SMTP_ERROR_TEMPORARY, reply,
                                     _("The server %s is not accepting mail right now (%s). "
                                       "Try again later.")),
                  END_CLOSE);
  /* 554: RFC 5321 §3.1 has the client QUIT. */
  else if (cachet_smtp_reply_get_class (reply) == 5)
    fail_connect (task, reply_error (self, CACHET_SMTP_ERROR_PERMANENT, reply,
                                     _("The server %s refuses connections from this computer "
                                       "(%s). Check the server address, or ask your "
                                       "operator.")),
                  END_QUIT);
  else
    fail_connect (task, unexpected_reply (self, reply), END_CLOSE);
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!cachet_connection_connect_finish (CACHET_CONNECTION (source), result, &error))
    {
      fail_connect (task, error, END_CLOSE);
      return;
    }

  read_reply (task, on_greeting);
}

/**
 * cachet_smtp_session_connect_async:
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once signed in, or on failure
 * @user_data: data for @callback
 *
 * Connects to the account's sending server, secures the connection and signs
 * in. A session connects once.
 */
void
cachet_smtp_session_connect_async (CachetSmtpSession   *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(CachetTrust) trust = NULL;
  GError *error = NULL;
  const char *ca_file;
  GTask *task;

  g_return_if_fail (CACHET_IS_SMTP_SESSION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (self->state == STATE_NEW);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cachet_smtp_session_connect_async);
  /* The session's state, not the cancellable, says how it ended. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, g_new0 (ConnectData, 1), connect_data_free);
  self->state = STATE_CONNECTING;

  self->address = cachet_server_address_parse (cachet_account_get_smtp_url (self->account), &error);
  if (self->address != NULL &&
      cachet_server_address_get_protocol (self->address) != CACHET_SERVER_PROTOCOL_SMTP)
    {
      g_clear_pointer (&self->address, cachet_server_address_unref);
      g_set_error (&error, CACHET_NET_ERROR, CACHET_NET_ERROR_INVALID_ADDRESS,
                   _("The sending server of the account “%s” is not an SMTP address. Use "
                     "smtps:// or smtp:// in the account settings."),
                   cachet_account_get_name (self->account));
    }
  if (self->address == NULL)
    {
      self->state = STATE_CLOSED;
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  ca_file = cachet_account_get_ca_file (self->account);
  trust = ca_file != NULL ? cachet_trust_new_for_ca_file (ca_file, &error)
                          : cachet_trust_new_system (&error);
  if (trust == NULL)
    {
      self->state = STATE_CLOSED;
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  self->connection = cachet_connection_new (self->address, trust);
  cachet_connection_set_timeout (self->connection, self->command_timeout_ms);
  cachet_connection_set_max_line_length (self->connection, CACHET_SMTP_REPLY_MAX_LINE_LENGTH);
  if (self->client_certificate != NULL)
    cachet_connection_set_client_certificate (self->connection, self->client_certificate);

  cachet_connection_connect_async (self->connection, cancellable, on_connected, task);
}

/**
 * cachet_smtp_session_connect_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE once signed in; otherwise %FALSE with a %CACHET_SMTP_ERROR
 *   (greeting or EHLO refused, %CACHET_SMTP_ERROR_UNAUTHENTICATED…), a
 *   %CACHET_NET_ERROR (%CACHET_NET_ERROR_STARTTLS_REFUSED, certificates,
 *   %CACHET_NET_ERROR_SASL_NO_MECHANISM…), or a %G_IO_ERROR or %G_TLS_ERROR
 *   from the connection; the session is then closed
 */
gboolean
cachet_smtp_session_connect_finish (CachetSmtpSession  *self,
                                    GAsyncResult       *result,
                                    GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cachet_smtp_session_connect_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Sending */

static void send_rset (GTask  *task,
                       GError *error);
static void send_next_recipient (GTask *task);
static void send_data_command (GTask *task);
static void read_pipelined_replies (GTask *task);

/* Takes ownership of @task and @error: the transaction is over (or was never
 * open), the session goes on. */
static void
fail_send (GTask  *task,
           GError *error)
{
  end_with_error (task, error, END_KEEP);
}

static void
finish_send (GTask *task)
{
  CachetSmtpSession *self = g_task_get_source_object (task);

  self->state = STATE_READY;
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* RFC 3463 5.3.4 "message too big for system", 5.2.3 "message length
 * exceeds administrative limit"; without an enhanced code, 552 as RFC 1870
 * uses it. 552 5.2.2 is a full mailbox, not a large message. */
static gboolean
is_too_large (CachetSmtpReply *reply)
{
  const char *enhanced = cachet_smtp_reply_get_enhanced_code (reply);

  if (enhanced != NULL)
    return strcmp (enhanced, "5.3.4") == 0 || strcmp (enhanced, "5.2.3") == 0;
  return cachet_smtp_reply_get_code (reply) == 552;
}

static GError *
message_error (CachetSmtpSession *self,
               CachetSmtpReply   *reply)
{
  if (cachet_smtp_reply_get_class (reply) == 4)
    return reply_error (self, CACHET_SMTP_ERROR_TEMPORARY, reply,
                        _("The server %s could not take the message right now (%s). Try again "
                          "later."));
  if (is_too_large (reply))
    return reply_error (self, CACHET_SMTP_ERROR_MESSAGE_TOO_LARGE, reply,
                        _("The server %s refused the message because it is too large (%s). "
                          "Remove attachments or make them smaller, then send again."));
  return reply_error (self, CACHET_SMTP_ERROR_REJECTED_MESSAGE, reply,
                      _("The server %s refused the message (%s). Its reply says why: correct "
                        "the message, or ask your operator."));
}

static GError *
sender_error (CachetSmtpSession *self,
              CachetSmtpReply   *reply)
{
  if (cachet_smtp_reply_get_class (reply) == 4)
    return reply_error (self, CACHET_SMTP_ERROR_TEMPORARY, reply,
                        _("The server %s cannot take the message right now (%s). Try again "
                          "later."));
  if (is_too_large (reply))
    return message_error (self, reply);
  return reply_error (self, CACHET_SMTP_ERROR_REJECTED_SENDER, reply,
                      _("The server %s refused the sender address (%s). Check the account’s "
                        "address, or ask your operator whether this mailbox may send with it."));
}

/* Every recipient was refused: @result has no accepted one. */
static GError *
recipients_error (CachetSmtpSession    *self,
                  SendData             *data)
{
  CachetSmtpReply *first = cachet_smtp_send_result_get_recipient_reply (data->result,
                                                                        data->recipients[0]);

  if (cachet_smtp_send_result_all_temporary (data->result))
    return reply_error (self, CACHET_SMTP_ERROR_TEMPORARY, first,
                        _("The server %s cannot take any recipient right now (%s). Try again "
                          "later."));
  return reply_error (self, CACHET_SMTP_ERROR_REJECTED_RECIPIENT, first,
                      _("The server %s refused every recipient (%s). Check the addresses, then "
                        "send again."));
}

static gboolean
is_positive (CachetSmtpReply *reply)
{
  return cachet_smtp_reply_get_class (reply) == 2;
}

static void
on_final_reply (GTask           *task,
                CachetSmtpReply *reply)
{
  CachetSmtpSession *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);

  cachet_connection_set_timeout (self->connection, self->command_timeout_ms);
  cachet_smtp_send_result_set_final_reply (data->result, reply);

  /* Whatever the answer, the transaction is over. */
  if (is_positive (reply))
    finish_send (task);
  else if (cachet_smtp_reply_get_class (reply) == 3)
    end_with_error (task, unexpected_reply (self, reply), END_CLOSE);
  else
    fail_send (task, message_error (self, reply));
}

static void
on_chunk_written (GTask *task)
{
  CachetSmtpSession *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  gsize length;
  const guint8 *message = g_bytes_get_data (data->message, &length);
  GBytes *chunk;

  chunk = cachet_smtp_data_encoder_next (&data->encoder, message, length, DATA_CHUNK_SIZE);
  if (chunk != NULL)
    {
      write_bytes (task, chunk, CACHET_WRITE_NONE, on_chunk_written);
      return;
    }

  /* The server may scan the message before it answers. */
  g_debug ("SMTP C: (message, end of data)");
  cachet_connection_set_timeout (self->connection, self->data_end_timeout_ms);
  read_reply (task, on_final_reply);
}

static void
send_message (GTask *task)
{
  SendData *data = g_task_get_task_data (task);

  cachet_smtp_data_encoder_init (&data->encoder);
  on_chunk_written (task);
}

static void
on_lone_dot_reply (GTask           *task,
                   CachetSmtpReply *reply)
{
  SendData *data = g_task_get_task_data (task);

  send_rset (task, g_steal_pointer (&data->error));
}

static void
on_lone_dot_written (GTask *task)
{
  read_reply (task, on_lone_dot_reply);
}

/* Decides, once MAIL, every RCPT and DATA were answered. */
static void
on_data_reply (GTask           *task,
               CachetSmtpReply *reply)
{
  CachetSmtpSession *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  gboolean go_ahead = cachet_smtp_reply_get_code (reply) == 354;
  GError *error = NULL;

  if (!is_positive (data->mail_reply))
    error = sender_error (self, data->mail_reply);
  else if (cachet_smtp_send_result_count_accepted (data->result) == 0)
    error = recipients_error (self, data);
  else if (!go_ahead)
    {
      if (!is_positive (reply) && cachet_smtp_reply_get_class (reply) != 3)
        {
          cachet_smtp_send_result_set_final_reply (data->result, reply);
          send_rset (task, message_error (self, reply));
        }
      else
        end_with_error (task, unexpected_reply (self, reply), END_CLOSE);
      return;
    }

  if (error == NULL)
    {
      send_message (task);
      return;
    }

  /* With PIPELINING, DATA went out with the rest; a server that takes it
   * even without a recipient gets an empty message (RFC 2920 §3.1). */
  if (go_ahead)
    {
      data->error = error;
      write_line (task, ".", CACHET_WRITE_NONE, on_lone_dot_written);
      return;
    }
  if (is_positive (data->mail_reply))
    send_rset (task, error);
  else
    fail_send (task, error);
}

static void
on_data_written (GTask *task)
{
  read_reply (task, on_data_reply);
}

static void
on_rset_reply (GTask           *task,
               CachetSmtpReply *reply)
{
  SendData *data = g_task_get_task_data (task);

  /* A server that refuses RSET is in a state we do not know. */
  end_with_error (task, g_steal_pointer (&data->error),
                  cachet_smtp_reply_get_code (reply) == 250 ? END_KEEP : END_QUIT);
}

static void
on_rset_written (GTask *task)
{
  read_reply (task, on_rset_reply);
}

/* Takes ownership of @task and @error: ends the transaction, then fails. */
static void
send_rset (GTask  *task,
           GError *error)
{
  SendData *data = g_task_get_task_data (task);

  g_clear_error (&data->error);
  data->error = error;
  write_line (task, "RSET", CACHET_WRITE_NONE, on_rset_written);
}

static void
on_rcpt_reply (GTask           *task,
               CachetSmtpReply *reply)
{
  CachetSmtpSession *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);

  if (cachet_smtp_reply_get_class (reply) == 3)
    {
      end_with_error (task, unexpected_reply (self, reply), END_CLOSE);
      return;
    }
  /* After a refused MAIL (pipelined), the RCPT answers only say "need MAIL
   * first": they are not the recipients' fate. */
  if (is_positive (data->mail_reply))
    cachet_smtp_send_result_add_recipient (data->result,
                                           data->recipients[data->next_recipient - 1], reply);

  if (data->pipelining)
    read_pipelined_replies (task);
  else
    send_next_recipient (task);
}

static void
on_rcpt_written (GTask *task)
{
  read_reply (task, on_rcpt_reply);
}

static char *
rcpt_command (SendData   *data,
              const char *recipient)
{
  GString *command = g_string_new (NULL);
  CachetSmtpDsnNotify notify;

  g_string_append_printf (command, "RCPT TO:<%s>", recipient);
  if (data->dsn)
    {
      notify = cachet_smtp_send_options_get_dsn_notify (data->options);
      if (notify == CACHET_SMTP_DSN_NOTIFY_NEVER)
        g_string_append (command, " NOTIFY=NEVER");
      else if (notify != CACHET_SMTP_DSN_NOTIFY_DEFAULT)
        {
          const char *separator = "";

          g_string_append (command, " NOTIFY=");
          if (notify & CACHET_SMTP_DSN_NOTIFY_SUCCESS)
            {
              g_string_append (command, "SUCCESS");
              separator = ",";
            }
          if (notify & CACHET_SMTP_DSN_NOTIFY_FAILURE)
            {
              g_string_append_printf (command, "%sFAILURE", separator);
              separator = ",";
            }
          if (notify & CACHET_SMTP_DSN_NOTIFY_DELAY)
            g_string_append_printf (command, "%sDELAY", separator);
        }
      /* RFC 3461 §4.2; an address that needs SMTPUTF8 would need the
       * utf-8-addr-xtext of RFC 6533: left out rather than mangled. */
      if (cachet_smtp_address_check (recipient) == CACHET_SMTP_ADDRESS_VALID)
        {
          g_autofree char *xtext = cachet_smtp_xtext_encode (recipient);

          g_string_append_printf (command, " ORCPT=rfc822;%s", xtext);
        }
    }

  return g_string_free (command, FALSE);
}

/* Without PIPELINING: one RCPT TO after the other, then DATA or RSET. */
static void
send_next_recipient (GTask *task)
{
  SendData *data = g_task_get_task_data (task);
  g_autofree char *command = NULL;

  if (data->recipients[data->next_recipient] == NULL)
    {
      send_data_command (task);
      return;
    }

  command = rcpt_command (data, data->recipients[data->next_recipient]);
  data->next_recipient++;
  write_line (task, command, CACHET_WRITE_NONE, on_rcpt_written);
}

static void
send_data_command (GTask *task)
{
  SendData *data = g_task_get_task_data (task);

  if (cachet_smtp_send_result_count_accepted (data->result) == 0)
    {
      send_rset (task, recipients_error (g_task_get_source_object (task), data));
      return;
    }
  write_line (task, "DATA", CACHET_WRITE_NONE, on_data_written);
}

static void
on_mail_reply (GTask           *task,
               CachetSmtpReply *reply)
{
  CachetSmtpSession *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);

  if (cachet_smtp_reply_get_class (reply) == 3)
    {
      end_with_error (task, unexpected_reply (self, reply), END_CLOSE);
      return;
    }
  data->mail_reply = cachet_smtp_reply_ref (reply);

  if (data->pipelining)
    read_pipelined_replies (task);
  else if (!is_positive (reply))
    fail_send (task, sender_error (self, reply));
  else
    send_next_recipient (task);
}

static void
on_mail_written (GTask *task)
{
  read_reply (task, on_mail_reply);
}

/* With PIPELINING: the replies to MAIL, each RCPT and DATA, in order. */
static void
read_pipelined_replies (GTask *task)
{
  SendData *data = g_task_get_task_data (task);

  if (data->mail_reply == NULL)
    read_reply (task, on_mail_reply);
  else if (data->recipients[data->next_recipient] != NULL)
    {
      data->next_recipient++;
      read_reply (task, on_rcpt_reply);
    }
  else
    read_reply (task, on_data_reply);
}

static void
on_pipeline_written (GTask *task)
{
  read_pipelined_replies (task);
}

static char *
mail_command (CachetSmtpSession *self,
              SendData          *data)
{
  GString *command = g_string_new (NULL);

  g_string_append_printf (command, "MAIL FROM:<%s>", data->from);
  if (g_hash_table_contains (self->extensions, "SIZE"))
    g_string_append_printf (command, " SIZE=%" G_GSIZE_FORMAT, data->info.size);
  if (data->info.has_8bit)
    g_string_append (command, " BODY=8BITMIME");
  if (data->utf8)
    g_string_append (command, " SMTPUTF8");
  if (data->dsn)
    {
      const char *envid = cachet_smtp_send_options_get_envid (data->options);

      switch (cachet_smtp_send_options_get_dsn_return (data->options))
        {
        case CACHET_SMTP_DSN_RETURN_HEADERS:
          g_string_append (command, " RET=HDRS");
          break;
        case CACHET_SMTP_DSN_RETURN_FULL:
          g_string_append (command, " RET=FULL");
          break;
        case CACHET_SMTP_DSN_RETURN_DEFAULT:
        default:
          break;
        }
      if (envid != NULL)
        {
          g_autofree char *xtext = cachet_smtp_xtext_encode (envid);

          g_string_append_printf (command, " ENVID=%s", xtext);
        }
    }

  return g_string_free (command, FALSE);
}

static gboolean
is_printable_ascii (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p < ' ' || *p > '~')
        return FALSE;
    }
  return TRUE;
}

/* Everything that can be known to fail is refused here, before a byte is
 * sent: a server that gets half a transaction may still act on it. */
static gboolean
check_send (CachetSmtpSession  *self,
            SendData           *data,
            GError            **error)
{
  gsize length;
  const guint8 *message = g_bytes_get_data (data->message, &length);
  const char *size_parameter;
  CachetSmtpAddressCheck check;
  guint64 limit = 0;

  if (data->recipients[0] == NULL)
    {
      g_set_error_literal (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_INVALID_ADDRESS,
                           _("The message has no recipient. Add one, then send again."));
      return FALSE;
    }

  check = cachet_smtp_address_check (data->from);
  if (check == CACHET_SMTP_ADDRESS_INVALID)
    {
      g_set_error_literal (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_INVALID_ADDRESS,
                           _("The sender address cannot be sent: it is empty, too long, has no "
                             "“@”, or contains a space, a line break, “<” or “>”. Correct "
                             "the account’s address."));
      return FALSE;
    }
  data->utf8 = check == CACHET_SMTP_ADDRESS_NEEDS_SMTPUTF8;

  for (guint i = 0; data->recipients[i] != NULL; i++)
    {
      check = cachet_smtp_address_check (data->recipients[i]);
      if (check == CACHET_SMTP_ADDRESS_INVALID)
        {
          g_set_error_literal (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_INVALID_ADDRESS,
                               _("A recipient address cannot be sent: it is empty, too long, "
                                 "has no “@”, or contains a space, a line break, “<” or “>”. "
                                 "Correct it, then send again."));
          return FALSE;
        }
      data->utf8 |= check == CACHET_SMTP_ADDRESS_NEEDS_SMTPUTF8;
    }

  if (data->utf8 && !g_hash_table_contains (self->extensions, "SMTPUTF8"))
    {
      g_set_error (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_INVALID_ADDRESS,
                   _("The server %s cannot take addresses with characters outside ASCII (such "
                     "as accents). Use the plain form of the address, then send again."),
                   host (self));
      return FALSE;
    }

  if (cachet_smtp_send_options_get_envid (data->options) != NULL)
    {
      const char *envid = cachet_smtp_send_options_get_envid (data->options);

      if (*envid == '\0' || strlen (envid) > MAX_ENVID_LENGTH || !is_printable_ascii (envid))
        {
          g_set_error_literal (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_INVALID_MESSAGE,
                               _("The delivery report identifier cannot be sent: it must be "
                                 "printable ASCII, 100 characters at most."));
          return FALSE;
        }
    }

  cachet_smtp_message_scan (message, length, &data->info);
  if (length == 0)
    {
      g_set_error_literal (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_INVALID_MESSAGE,
                           _("The message is empty and cannot be sent."));
      return FALSE;
    }
  if (data->info.has_nul)
    {
      g_set_error_literal (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_INVALID_MESSAGE,
                           _("The message contains NUL bytes, which mail cannot carry. Attach "
                             "that content as a file instead."));
      return FALSE;
    }
  if (data->info.has_8bit && !g_hash_table_contains (self->extensions, "8BITMIME"))
    {
      g_set_error (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_NEEDS_7BIT,
                   _("The server %s only takes 7-bit messages, and this one has 8-bit text: "
                     "it must be encoded (quoted-printable or base64) before it can be sent."),
                   host (self));
      return FALSE;
    }

  size_parameter = g_hash_table_lookup (self->extensions, "SIZE");
  if (size_parameter != NULL && *size_parameter != '\0' &&
      g_ascii_string_to_unsigned (size_parameter, 10, 0, G_MAXUINT64, &limit, NULL) &&
      limit > 0 && data->info.size > limit)
    {
      g_autofree char *size = g_format_size (data->info.size);
      g_autofree char *maximum = g_format_size (limit);

      g_set_error (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_MESSAGE_TOO_LARGE,
                   _("The message (%s) is larger than the %s that the server %s accepts. Remove "
                     "attachments or make them smaller, then send again."),
                   size, maximum, host (self));
      return FALSE;
    }

  data->dsn = cachet_smtp_send_options_wants_dsn (data->options) &&
              g_hash_table_contains (self->extensions, "DSN");
  data->pipelining = g_hash_table_contains (self->extensions, "PIPELINING");

  return TRUE;
}

/**
 * cachet_smtp_session_send_async:
 * @from: the sender address (MAIL FROM), the account's own
 * @recipients: (array zero-terminated=1): every recipient (RCPT TO): To, Cc
 *   and Bcc alike; at least one
 * @message: the whole message (RFC 5322), as the composer made it; line
 *   breaks may be CRLF or LF
 * @options: (nullable): delivery status notifications to ask for
 * @cancellable: (nullable): a #GCancellable; cancelling closes the session
 * @callback: called when the server has answered for the message, or on
 *   failure
 * @user_data: data for @callback
 *
 * Sends one message on a connected session, then leaves it ready for the
 * next. Cancelling while the message is on its way makes its fate unknown
 * (the server may have taken it): the outbox must treat that as it treats a
 * lost connection.
 */
void
cachet_smtp_session_send_async (CachetSmtpSession           *self,
                                const char                  *from,
                                const char * const          *recipients,
                                GBytes                      *message,
                                const CachetSmtpSendOptions *options,
                                GCancellable                *cancellable,
                                GAsyncReadyCallback          callback,
                                gpointer                     user_data)
{
  g_autofree char *mail = NULL;
  GError *error = NULL;
  SendData *data;
  GTask *task;

  g_return_if_fail (CACHET_IS_SMTP_SESSION (self));
  g_return_if_fail (recipients != NULL);
  g_return_if_fail (message != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (self->state != STATE_BUSY && self->state != STATE_CONNECTING);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cachet_smtp_session_send_async);
  /* A message the server took must be reported as sent even if the caller
   * cancelled meanwhile: otherwise it would be sent twice. */
  g_task_set_check_cancellable (task, FALSE);
  data = g_new0 (SendData, 1);
  data->from = g_strdup (from);
  data->recipients = g_strdupv ((GStrv) recipients);
  data->message = g_bytes_ref (message);
  data->options = options != NULL ? cachet_smtp_send_options_copy (options)
                                  : cachet_smtp_send_options_new ();
  data->result = cachet_smtp_send_result_new ();
  g_task_set_task_data (task, data, send_data_free);

  if (self->state != STATE_READY)
    {
      g_task_return_new_error (task, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_NOT_CONNECTED,
                               _("Cachet is not connected to the sending server. Connect again, "
                                 "then send."));
      g_object_unref (task);
      return;
    }

  if (!check_send (self, data, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  self->state = STATE_BUSY;
  cachet_smtp_send_result_set_dsn_requested (data->result, data->dsn);
  mail = mail_command (self, data);

  if (!data->pipelining)
    {
      write_line (task, mail, CACHET_WRITE_NONE, on_mail_written);
      return;
    }

  /* RFC 2920: MAIL, every RCPT and DATA in one write, DATA last. */
  {
    GString *batch = g_string_new (NULL);
    gsize size;

    log_command (mail);
    g_string_append_printf (batch, "%s\r\n", mail);
    for (guint i = 0; data->recipients[i] != NULL; i++)
      {
        g_autofree char *rcpt = rcpt_command (data, data->recipients[i]);

        log_command (rcpt);
        g_string_append_printf (batch, "%s\r\n", rcpt);
      }
    log_command ("DATA");
    g_string_append (batch, "DATA\r\n");

    size = batch->len;
    write_bytes (task, g_bytes_new_take (g_string_free (batch, FALSE), size), CACHET_WRITE_NONE,
                 on_pipeline_written);
  }
}

/**
 * cachet_smtp_session_send_finish:
 * @result: the #GAsyncResult given to the callback
 * @send_result: (out) (optional) (nullable) (transfer full): what the server
 *   said, recipient by recipient: set on success, and on failure once the
 *   server has answered about recipients (so that a
 *   %CACHET_SMTP_ERROR_REJECTED_RECIPIENT comes with each one's reason);
 *   %NULL otherwise
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the server accepted the message for at least one
 *   recipient (check cachet_smtp_send_result_get_rejected() for the others);
 *   %FALSE with a %CACHET_SMTP_ERROR, or a network error after which the
 *   session is closed
 */
gboolean
cachet_smtp_session_send_finish (CachetSmtpSession     *self,
                                 GAsyncResult          *result,
                                 CachetSmtpSendResult **send_result,
                                 GError               **error)
{
  SendData *data;
  gboolean success;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cachet_smtp_session_send_async, FALSE);

  data = g_task_get_task_data (G_TASK (result));
  success = g_task_propagate_boolean (G_TASK (result), error);
  if (send_result != NULL)
    {
      gboolean answered = cachet_smtp_send_result_get_final_reply (data->result) != NULL ||
                          cachet_smtp_send_result_get_accepted (data->result)[0] != NULL ||
                          cachet_smtp_send_result_get_rejected (data->result)[0] != NULL;

      *send_result = success || answered ? cachet_smtp_send_result_ref (data->result) : NULL;
    }

  return success;
}

/* Closing */

static void
on_goodbye (GTask           *task,
            CachetSmtpReply *reply)
{
  close_connection (task);
}

static void
on_goodbye_written (GTask *task)
{
  read_reply (task, on_goodbye);
}

/**
 * cachet_smtp_session_close_async:
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once closed
 * @user_data: data for @callback
 *
 * Says QUIT and closes the connection. A session that is not connected (any
 * more) closes at once.
 */
void
cachet_smtp_session_close_async (CachetSmtpSession   *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CACHET_IS_SMTP_SESSION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (self->state != STATE_BUSY && self->state != STATE_CONNECTING);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cachet_smtp_session_close_async);

  if (self->state != STATE_READY)
    {
      close_connection (task);
      return;
    }

  self->state = STATE_BUSY;
  write_line (task, "QUIT", CACHET_WRITE_NONE, on_goodbye_written);
}

/**
 * cachet_smtp_session_close_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE; a server that leaves without answering QUIT is no error
 */
gboolean
cachet_smtp_session_close_finish (CachetSmtpSession  *self,
                                  GAsyncResult       *result,
                                  GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cachet_smtp_session_close_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Object */

static void
cachet_smtp_session_dispose (GObject *object)
{
  CachetSmtpSession *self = CACHET_SMTP_SESSION (object);

  g_clear_object (&self->connection);
  g_clear_object (&self->credentials);
  g_clear_object (&self->client_certificate);

  G_OBJECT_CLASS (cachet_smtp_session_parent_class)->dispose (object);
}

static void
cachet_smtp_session_finalize (GObject *object)
{
  CachetSmtpSession *self = CACHET_SMTP_SESSION (object);

  g_clear_object (&self->account);
  g_clear_pointer (&self->oauth_token, cachet_secret_free);
  g_clear_pointer (&self->address, cachet_server_address_unref);
  g_clear_pointer (&self->parser, cachet_smtp_reply_parser_free);
  g_clear_pointer (&self->last_reply, cachet_smtp_reply_unref);
  g_clear_pointer (&self->extensions, g_hash_table_unref);
  g_clear_error (&self->failure);

  G_OBJECT_CLASS (cachet_smtp_session_parent_class)->finalize (object);
}

static void
cachet_smtp_session_class_init (CachetSmtpSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cachet_smtp_session_dispose;
  object_class->finalize = cachet_smtp_session_finalize;
}

static void
cachet_smtp_session_init (CachetSmtpSession *self)
{
  self->command_timeout_ms = CACHET_CONNECTION_DEFAULT_TIMEOUT_MS;
  self->data_end_timeout_ms = CACHET_SMTP_SESSION_DEFAULT_DATA_END_TIMEOUT_MS;
  self->parser = cachet_smtp_reply_parser_new ();
}

/**
 * cachet_smtp_session_new:
 * @account: the account to send for: its SMTP address, CA file and login
 * @credentials: (nullable): where its password comes from; %NULL for an
 *   account that signs in only with a certificate or a token
 *
 * Returns: (transfer full): a session, not yet connected
 */
CachetSmtpSession *
cachet_smtp_session_new (CachetAccount             *account,
                         CachetCredentialsProvider *credentials)
{
  CachetSmtpSession *self;

  g_return_val_if_fail (CACHET_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (credentials == NULL || CACHET_IS_CREDENTIALS_PROVIDER (credentials), NULL);

  self = g_object_new (CACHET_TYPE_SMTP_SESSION, NULL);
  self->account = g_object_ref (account);
  g_set_object (&self->credentials, credentials);

  return self;
}

/**
 * cachet_smtp_session_get_account:
 *
 * Returns: (transfer none): the account this session sends for
 */
CachetAccount *
cachet_smtp_session_get_account (CachetSmtpSession *self)
{
  g_return_val_if_fail (CACHET_IS_SMTP_SESSION (self), NULL);

  return self->account;
}

/**
 * cachet_smtp_session_set_client_certificate:
 * @certificate: (nullable): the account's client certificate with its
 *   private key, from cachet_client_identity_load_pkcs12() or
 *   cachet_client_identity_load_pkcs11()
 *
 * Presented during the TLS handshake when the server asks, then used to sign
 * in with EXTERNAL when the server offers it. Set it before connecting.
 */
void
cachet_smtp_session_set_client_certificate (CachetSmtpSession *self,
                                            GTlsCertificate   *certificate)
{
  g_return_if_fail (CACHET_IS_SMTP_SESSION (self));
  g_return_if_fail (certificate == NULL || G_IS_TLS_CERTIFICATE (certificate));
  g_return_if_fail (self->state == STATE_NEW);

  g_set_object (&self->client_certificate, certificate);
}

/**
 * cachet_smtp_session_set_oauth_token:
 * @token: (nullable): an OAuth 2.0 access token for the account's login
 *
 * Signs in with OAUTHBEARER or XOAUTH2 when the server offers them. The
 * token is kept in memory only, wiped when replaced or when the session is
 * finalized. Set it before connecting.
 */
void
cachet_smtp_session_set_oauth_token (CachetSmtpSession *self,
                                     const char        *token)
{
  g_return_if_fail (CACHET_IS_SMTP_SESSION (self));
  g_return_if_fail (self->state == STATE_NEW);

  g_clear_pointer (&self->oauth_token, cachet_secret_free);
  self->oauth_token = g_strdup (token);
}

/**
 * cachet_smtp_session_set_timeouts:
 * @command_timeout_ms: how long connecting, each command's reply, and each
 *   write without progress may take
 * @data_end_timeout_ms: how long the reply after a whole message may take
 *   (see %CACHET_SMTP_SESSION_DEFAULT_DATA_END_TIMEOUT_MS)
 *
 * Set it before connecting.
 */
void
cachet_smtp_session_set_timeouts (CachetSmtpSession *self,
                                  guint              command_timeout_ms,
                                  guint              data_end_timeout_ms)
{
  g_return_if_fail (CACHET_IS_SMTP_SESSION (self));
  g_return_if_fail (command_timeout_ms > 0 && data_end_timeout_ms > 0);
  g_return_if_fail (self->state == STATE_NEW);

  self->command_timeout_ms = command_timeout_ms;
  self->data_end_timeout_ms = data_end_timeout_ms;
}

/**
 * cachet_smtp_session_is_connected:
 *
 * Returns: whether the session is signed in and can send (or is sending)
 */
gboolean
cachet_smtp_session_is_connected (CachetSmtpSession *self)
{
  g_return_val_if_fail (CACHET_IS_SMTP_SESSION (self), FALSE);

  return self->state == STATE_READY || self->state == STATE_BUSY;
}

/**
 * cachet_smtp_session_has_extension:
 * @keyword: an EHLO keyword, such as "PIPELINING" (any case)
 *
 * Only what the server announced over TLS counts: everything it said before
 * was forgotten.
 *
 * Returns: whether the server offers @keyword
 */
gboolean
cachet_smtp_session_has_extension (CachetSmtpSession *self,
                                   const char        *keyword)
{
  return cachet_smtp_session_get_extension_parameters (self, keyword) != NULL;
}

/**
 * cachet_smtp_session_get_extension_parameters:
 * @keyword: an EHLO keyword (any case)
 *
 * Returns: (nullable): the parameters the server gave @keyword ("" if none),
 *   such as the mechanisms of "AUTH", or %NULL if it does not offer it
 */
const char *
cachet_smtp_session_get_extension_parameters (CachetSmtpSession *self,
                                              const char        *keyword)
{
  g_autofree char *upper = NULL;

  g_return_val_if_fail (CACHET_IS_SMTP_SESSION (self), NULL);
  g_return_val_if_fail (keyword != NULL, NULL);

  if (self->extensions == NULL)
    return NULL;
  upper = g_ascii_strup (keyword, -1);
  return g_hash_table_lookup (self->extensions, upper);
}

/**
 * cachet_smtp_session_get_max_message_size:
 *
 * Returns: the largest message the server announced it accepts (SIZE), or 0
 *   if it announced no limit
 */
guint64
cachet_smtp_session_get_max_message_size (CachetSmtpSession *self)
{
  const char *parameter = cachet_smtp_session_get_extension_parameters (self, "SIZE");
  guint64 limit = 0;

  if (parameter == NULL ||
      !g_ascii_string_to_unsigned (parameter, 10, 0, G_MAXUINT64, &limit, NULL))
    return 0;
  return limit;
}

/**
 * cachet_smtp_session_get_auth_mechanism:
 *
 * Returns: (nullable): the SASL mechanism the session signed in with, or
 *   %NULL if none (not connected yet, or the client certificate sufficed)
 */
const char *
cachet_smtp_session_get_auth_mechanism (CachetSmtpSession *self)
{
  g_return_val_if_fail (CACHET_IS_SMTP_SESSION (self), NULL);

  return cachet_smtp_session_is_connected (self) ? self->auth_mechanism : NULL;
}

/**
 * cachet_smtp_session_get_last_reply:
 *
 * The server's own words about the last thing it answered, for a "details"
 * view after an error; its text is untrusted and may name addresses.
 *
 * Returns: (transfer none) (nullable): the last reply read, or %NULL
 */
CachetSmtpReply *
cachet_smtp_session_get_last_reply (CachetSmtpSession *self)
{
  g_return_val_if_fail (CACHET_IS_SMTP_SESSION (self), NULL);

  return self->last_reply;
}
