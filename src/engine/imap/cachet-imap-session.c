/* cachet-imap-session.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#include <sys/random.h>

#include "cachet-client-identity.h"
#include "cachet-imap-parser.h"
#include "cachet-imap-session-private.h"
#include "cachet-imap-utf7.h"
#include "cachet-net-error.h"
#include "cachet-sasl.h"
#include "cachet-server-address.h"
#include "cachet-trust.h"

/**
 * CachetImapSession:
 *
 * One IMAP session (RFC 9051, RFC 3501) with the server of an account, over
 * one #CachetConnection.
 *
 * cachet_imap_session_connect_async() reads the greeting, upgrades an
 * `imap://` connection with STARTTLS (never optional: a server that does not
 * offer it or refuses it ends the session before anything is sent), signs in
 * with the account's credentials over TLS only, and enables CONDSTORE,
 * QRESYNC and UTF8=ACCEPT when offered. The typed operations then send
 * commands, several at a time when RFC 9051 §5.5 allows it, and route each
 * untagged response to the command it answers.
 *
 * Responses that answer no command (EXISTS, EXPUNGE, FETCH of flags,
 * VANISHED, as another client changes the mailbox) update the state of the
 * selected mailbox and are emitted as signals for the synchronisation layer.
 *
 * Everything happens on the thread-default main context of the thread that
 * created the session: call it from that thread only; callbacks and signals
 * come there. A session is used once: after LOGOUT, an error or
 * cachet_imap_session_close(), make a new one.
 *
 * Cancelling an operation returns %G_IO_ERROR_CANCELLED at once. IMAP cannot
 * take back a command already sent, so the session reads and drops its
 * answer and stays usable; only a command cancelled in the middle of sending
 * a literal (an APPEND waiting for the server's go-ahead) ends the session,
 * since the server then expects the rest of it.
 *
 * Logs name commands and tags only: never mailbox names, message data or
 * credentials.
 */

/* How long after DONE the server has to end IDLE. */
#define IDLE_MARGIN_MS (60 * 1000)

/* Literals are read in chunks of this size and handed to the parser, which
 * holds the only copy. */
#define LITERAL_CHUNK (64 * 1024)

#define DEFAULT_BATCH_WITH_BODY 100
#define DEFAULT_BATCH_WITHOUT_BODY 1000

/* Server text in error messages: enough to read, not enough to flood. */
#define MAX_SERVER_TEXT 200

/* Letters before the counter of each tag: 26^6 prefixes. */
#define TAG_PREFIX_LENGTH 6

struct _CachetImapSession
{
  GObject                    parent_instance;

  CachetAccount             *account;
  CachetCredentialsProvider *credentials;
  GMainContext              *context;
  CachetServerAddress       *address;
  guint                      timeout_ms;
  guint                      idle_refresh_s;
  CachetImapParserLimits     limits;
  guint                      batch_size;
  char                      *oauth_token;
  GTlsInteraction           *interaction;

  CachetImapSessionState     state;
  gboolean                   used;
  CachetConnection          *connection;
  CachetImapParser          *parser;
  GCancellable              *io_cancellable;
  GError                    *fatal;
  char                       tag_prefix[TAG_PREFIX_LENGTH + 1];
  guint                      next_tag;

  GQueue                     queued;
  GQueue                     in_flight;
  Command                   *writing;
  gboolean                   write_pending;
  gboolean                   reading;
  guint64                    literal_remaining;

  GTask                     *connect_task;
  gboolean                   awaiting_greeting;
  gboolean                   tls_upgrade_pending;
  gboolean                   tls_handshaking;
  gboolean                   has_client_certificate;

  GHashTable                *capabilities;
  char                     **capability_list;
  gboolean                   condstore_enabled;
  gboolean                   condstore_confirmed;
  gboolean                   qresync_enabled;
  gboolean                   utf8_enabled;

  MailboxState              *selected;
  MailboxState              *selecting;
  gboolean                   await_closed;
  GPtrArray                 *before_closed;  /* mailbox data held until [CLOSED] */

  Command                   *idle_command;
  gboolean                   idle_established;
  gboolean                   idle_done_sent;
  gboolean                   idle_done_wanted;
  gboolean                   idle_woken;
  GSource                   *idle_refresh_source;
  GSource                   *done_timeout_source;

  gboolean                   bye_expected;
  gboolean                   bye_received;
};

G_DEFINE_FINAL_TYPE (CachetImapSession, cachet_imap_session, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (CachetImapSessionState, cachet_imap_session_state,
  G_DEFINE_ENUM_VALUE (CACHET_IMAP_SESSION_STATE_NOT_CONNECTED, "not-connected"),
  G_DEFINE_ENUM_VALUE (CACHET_IMAP_SESSION_STATE_CONNECTING, "connecting"),
  G_DEFINE_ENUM_VALUE (CACHET_IMAP_SESSION_STATE_AUTHENTICATED, "authenticated"),
  G_DEFINE_ENUM_VALUE (CACHET_IMAP_SESSION_STATE_SELECTED, "selected"),
  G_DEFINE_ENUM_VALUE (CACHET_IMAP_SESSION_STATE_LOGGING_OUT, "logging-out"))

enum {
  PROP_0,
  PROP_ACCOUNT,
  PROP_CREDENTIALS,
  PROP_STATE,
  N_PROPS
};

enum {
  SIGNAL_EXISTS,
  SIGNAL_EXPUNGED,
  SIGNAL_FLAGS_CHANGED,
  SIGNAL_VANISHED,
  SIGNAL_ALERT,
  SIGNAL_CLOSED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static GQuark
response_code_quark (void)
{
  return g_quark_from_static_string ("cachet-imap-session-response-code");
}

static void pump (CachetImapSession *self);
static void command_free (Command *command);
static void dispatch (CachetImapSession  *self,
                      CachetImapResponse *response);
static void idle_send_done (CachetImapSession *self);
static void connect_fail (CachetImapSession *self,
                          GError            *error);

/* Text ------------------------------------------------------------------- */

/* Server text for an error message or an alert: printable, one line, bounded.
 * Bidirectional overrides and other invisible characters are dropped, so that
 * a server cannot make its text read differently from what it is. */
char *
_cachet_imap_sanitize_text (const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint n = 0;

  if (text == NULL)
    return g_strdup ("");

  for (const char *p = text; *p != '\0' && g_utf8_validate (p, -1, NULL); p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (n == MAX_SERVER_TEXT)
        {
          g_string_append (out, "…");
          break;
        }
      if (type == G_UNICODE_CONTROL || type == G_UNICODE_FORMAT ||
          type == G_UNICODE_LINE_SEPARATOR || type == G_UNICODE_PARAGRAPH_SEPARATOR ||
          type == G_UNICODE_UNASSIGNED || type == G_UNICODE_PRIVATE_USE ||
          type == G_UNICODE_SURROGATE)
        c = ' ';
      g_string_append_unichar (out, c);
      n++;
    }

  return g_strstrip (g_string_free (g_steal_pointer (&out), FALSE));
}

/* A mailbox name as the server sent it, in UTF-8; NULL if it is neither
 * valid modified UTF-7 nor (with UTF8=ACCEPT) valid UTF-8. */
char *
_cachet_imap_decode_mailbox (CachetImapSession *self,
                             const char        *wire_name)
{
  if (g_ascii_strcasecmp (wire_name, "INBOX") == 0)
    return g_strdup ("INBOX");
  if (self->utf8_enabled)
    return g_utf8_validate (wire_name, -1, NULL) ? g_strdup (wire_name) : NULL;
  return cachet_imap_utf7_decode (wire_name, NULL);
}

const char *
_cachet_imap_session_get_host (CachetImapSession *self)
{
  if (self->address != NULL)
    return cachet_server_address_get_host (self->address);
  return cachet_account_get_imap_url (self->account);
}

static GError *
not_connected_error (CachetImapSession *self)
{
  return g_error_new (CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_NOT_CONNECTED,
                      _("Cachet is not connected to %s. Connect again."),
                      _cachet_imap_session_get_host (self));
}

GError *
_cachet_imap_session_not_supported (CachetImapSession *self,
                                    const char        *what)
{
  return g_error_new (CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_NOT_SUPPORTED,
                      _("The server %s does not support %s, which this action needs. "
                        "Ask your operator to enable it."),
                      _cachet_imap_session_get_host (self), what);
}

/* The error for a tagged NO or BAD, with the server's text. */
GError *
_cachet_imap_session_server_error (CachetImapSession  *self,
                                   CachetImapResponse *tagged)
{
  g_autofree char *text = _cachet_imap_sanitize_text (cachet_imap_response_get_text (tagged));
  const char *host = _cachet_imap_session_get_host (self);

  if (*text == '\0')
    {
      g_free (text);
      text = g_strdup (_("no reason given"));
    }

  if (cachet_imap_response_get_status (tagged) == CACHET_IMAP_STATUS_BAD)
    return g_error_new (CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_SERVER_BAD,
                        _("The server %s did not accept a request from Cachet (%s). "
                          "If this keeps happening, tell your operator."), host, text);

  switch (cachet_imap_response_get_code (tagged))
    {
    case CACHET_IMAP_RESPONSE_CODE_TRYCREATE:
    case CACHET_IMAP_RESPONSE_CODE_NONEXISTENT:
      return g_error_new (CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_SERVER_NO,
                          _("The folder does not exist on %s (%s). Refresh the folder list "
                            "and try again."), host, text);
    case CACHET_IMAP_RESPONSE_CODE_OVERQUOTA:
      return g_error_new (CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_SERVER_NO,
                          _("The mailbox on %s is full (%s). Delete or archive messages, "
                            "then try again."), host, text);
    case CACHET_IMAP_RESPONSE_CODE_AUTHENTICATIONFAILED:
    case CACHET_IMAP_RESPONSE_CODE_AUTHORIZATIONFAILED:
    case CACHET_IMAP_RESPONSE_CODE_EXPIRED:
      return g_error_new (CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_UNAUTHENTICATED,
                          _("The server %s refused the login or password of the account "
                            "“%s” (%s). Check the password in the account settings and "
                            "enter it again."),
                          host, cachet_account_get_name (self->account), text);
    case CACHET_IMAP_RESPONSE_CODE_NONE:
    case CACHET_IMAP_RESPONSE_CODE_OTHER:
    case CACHET_IMAP_RESPONSE_CODE_ALERT:
    case CACHET_IMAP_RESPONSE_CODE_ALREADYEXISTS:
    case CACHET_IMAP_RESPONSE_CODE_APPENDUID:
    case CACHET_IMAP_RESPONSE_CODE_BADCHARSET:
    case CACHET_IMAP_RESPONSE_CODE_CANNOT:
    case CACHET_IMAP_RESPONSE_CODE_CAPABILITY:
    case CACHET_IMAP_RESPONSE_CODE_CLIENTBUG:
    case CACHET_IMAP_RESPONSE_CODE_CLOSED:
    case CACHET_IMAP_RESPONSE_CODE_CONTACTADMIN:
    case CACHET_IMAP_RESPONSE_CODE_COPYUID:
    case CACHET_IMAP_RESPONSE_CODE_CORRUPTION:
    case CACHET_IMAP_RESPONSE_CODE_EXPUNGEISSUED:
    case CACHET_IMAP_RESPONSE_CODE_HIGHESTMODSEQ:
    case CACHET_IMAP_RESPONSE_CODE_INUSE:
    case CACHET_IMAP_RESPONSE_CODE_LIMIT:
    case CACHET_IMAP_RESPONSE_CODE_MODIFIED:
    case CACHET_IMAP_RESPONSE_CODE_NOMODSEQ:
    case CACHET_IMAP_RESPONSE_CODE_NOPERM:
    case CACHET_IMAP_RESPONSE_CODE_PARSE:
    case CACHET_IMAP_RESPONSE_CODE_PERMANENTFLAGS:
    case CACHET_IMAP_RESPONSE_CODE_PRIVACYREQUIRED:
    case CACHET_IMAP_RESPONSE_CODE_READ_ONLY:
    case CACHET_IMAP_RESPONSE_CODE_READ_WRITE:
    case CACHET_IMAP_RESPONSE_CODE_SERVERBUG:
    case CACHET_IMAP_RESPONSE_CODE_UIDNEXT:
    case CACHET_IMAP_RESPONSE_CODE_UIDNOTSTICKY:
    case CACHET_IMAP_RESPONSE_CODE_UIDVALIDITY:
    case CACHET_IMAP_RESPONSE_CODE_UNAVAILABLE:
    case CACHET_IMAP_RESPONSE_CODE_UNKNOWN_CTE:
    case CACHET_IMAP_RESPONSE_CODE_UNSEEN:
    default:
      return g_error_new (CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_SERVER_NO,
                          _("The server %s refused the request (%s). Try again later; if it "
                            "keeps happening, tell your operator."), host, text);
    }
}

/* Mailbox state ----------------------------------------------------------- */

static MailboxState *
mailbox_state_new (const char *name,
                   gboolean    read_only)
{
  MailboxState *state = g_new0 (MailboxState, 1);

  state->name = g_strdup (name);
  state->read_only = read_only;
  state->map = cachet_imap_mailbox_map_new ();
  return state;
}

static void
mailbox_state_free (MailboxState *state)
{
  if (state == NULL)
    return;

  g_free (state->name);
  g_strfreev (state->flags);
  g_strfreev (state->permanent_flags);
  cachet_imap_mailbox_map_free (state->map);
  g_free (state);
}

MailboxState *
_cachet_imap_session_get_selected (CachetImapSession *self)
{
  return self->selected;
}

MailboxState *
_cachet_imap_session_get_selecting (CachetImapSession *self)
{
  return self->selecting;
}

static void
set_state (CachetImapSession      *self,
           CachetImapSessionState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* Called when SELECT or EXAMINE is written: the responses that follow are
 * the new mailbox's, except, with QRESYNC, those before [CLOSED], which are
 * still the old one's. */
void
_cachet_imap_session_begin_select (CachetImapSession *self,
                                   const char        *mailbox,
                                   gboolean           read_only)
{
  g_clear_pointer (&self->selecting, mailbox_state_free);
  self->selecting = mailbox_state_new (mailbox, read_only);
  self->await_closed = self->selected != NULL && self->qresync_enabled;
  g_ptr_array_set_size (self->before_closed, 0);
}

static void handle_untagged (CachetImapSession  *self,
                             CachetImapResponse *response);

/* Mailbox data that may still be the old mailbox's: held until [CLOSED]
 * says so (and dropped), or until the SELECT completes without one, which
 * means that the server (against RFC 7162) did not mark the boundary and it
 * was all the new mailbox's. A bounded number: past it, the server is
 * flooding, and the SELECT fails. */
#define MAX_BEFORE_CLOSED 10000

static gboolean
hold_before_closed (CachetImapSession  *self,
                    CachetImapResponse *response)
{
  if (self->before_closed->len >= MAX_BEFORE_CLOSED)
    return FALSE;
  g_ptr_array_add (self->before_closed, cachet_imap_response_ref (response));
  return TRUE;
}

/* Called by SELECT before it reads the state of the new mailbox. */
void
_cachet_imap_session_flush_before_closed (CachetImapSession *self)
{
  g_autoptr(GPtrArray) held = NULL;

  if (!self->await_closed)
    return;
  g_debug ("SELECT completed without [CLOSED]: the data held is the new mailbox's");
  self->await_closed = FALSE;
  held = g_steal_pointer (&self->before_closed);
  self->before_closed =
    g_ptr_array_new_with_free_func ((GDestroyNotify) cachet_imap_response_unref);
  for (guint i = 0; i < held->len && self->fatal == NULL; i++)
    handle_untagged (self, g_ptr_array_index (held, i));
}

void
_cachet_imap_session_end_select (CachetImapSession *self,
                                 gboolean           success)
{
  /* Even a failed SELECT closes the mailbox that was selected. */
  g_clear_pointer (&self->selected, mailbox_state_free);
  if (success)
    self->selected = g_steal_pointer (&self->selecting);
  g_clear_pointer (&self->selecting, mailbox_state_free);
  self->await_closed = FALSE;
  g_ptr_array_set_size (self->before_closed, 0);

  if (self->state == CACHET_IMAP_SESSION_STATE_AUTHENTICATED ||
      self->state == CACHET_IMAP_SESSION_STATE_SELECTED)
    set_state (self, success ? CACHET_IMAP_SESSION_STATE_SELECTED
                             : CACHET_IMAP_SESSION_STATE_AUTHENTICATED);
}

/* The mailbox that untagged mailbox data is about, or NULL to ignore it. */
static MailboxState *
target_mailbox (CachetImapSession *self,
                gboolean          *notify)
{
  *notify = FALSE;
  if (self->selecting != NULL)
    return self->await_closed ? NULL : self->selecting;
  *notify = self->selected != NULL;
  return self->selected;
}

/* Operations --------------------------------------------------------------- */

static void
op_free (gpointer data)
{
  Op *op = data;

  g_assert (op->cancel_source == NULL);
  g_ptr_array_unref (op->commands);
  if (op->data_free != NULL && op->data != NULL)
    op->data_free (op->data);
  g_free (op);
}

static void default_cancel (GTask *task);

static gboolean
on_op_cancelled (GCancellable *cancellable,
                 gpointer      user_data)
{
  GTask *task = user_data;
  Op *op = g_task_get_task_data (task);

  if (op->completed)
    return G_SOURCE_REMOVE;

  g_debug ("IMAP operation cancelled");
  if (op->on_cancel != NULL)
    op->on_cancel (task);
  else
    default_cancel (task);
  return G_SOURCE_REMOVE;
}

/* Creates the task of an operation; the operation owns it until it returns
 * with one of the _cachet_imap_op_return_*() functions. */
GTask *
_cachet_imap_op_new (CachetImapSession   *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data,
                     gpointer             source_tag,
                     gpointer             data,
                     GDestroyNotify       data_free)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Op *op = g_new0 (Op, 1);

  g_task_set_source_tag (task, source_tag);
  op->session = self;
  op->commands = g_ptr_array_new ();
  op->data = data;
  op->data_free = data_free;
  g_task_set_task_data (task, op, op_free);

  if (cancellable != NULL)
    {
      /* A source rather than a signal handler: cancellation may come from
       * another thread, and the session is only ever touched from its own. */
      op->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (op->cancel_source, G_SOURCE_FUNC (on_op_cancelled), task, NULL);
      g_source_attach (op->cancel_source, self->context);
    }

  return task;
}

gpointer
_cachet_imap_op_get_data (GTask *task)
{
  return ((Op *) g_task_get_task_data (task))->data;
}

gboolean
_cachet_imap_op_is_completed (GTask *task)
{
  return ((Op *) g_task_get_task_data (task))->completed;
}

/* Keeps the response code of a command's tagged answer, which
 * cachet_imap_session_result_get_code() gives back. */
void
_cachet_imap_op_set_code (GTask              *task,
                          CachetImapResponse *tagged)
{
  Op *op = g_task_get_task_data (task);

  if (tagged != NULL)
    op->code = cachet_imap_response_get_code (tagged);
}

/* Detaches the operation from its commands: those not yet sent are dropped,
 * those sent will have their answers read and ignored. */
static gboolean
op_complete (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  CachetImapSession *self = op->session;
  g_autoptr(GPtrArray) commands = NULL;

  if (op->completed)
    return FALSE;
  op->completed = TRUE;

  if (op->cancel_source != NULL)
    {
      g_source_destroy (op->cancel_source);
      g_clear_pointer (&op->cancel_source, g_source_unref);
    }

  commands = g_ptr_array_copy (op->commands, NULL, NULL);
  for (guint i = 0; i < commands->len; i++)
    {
      Command *command = g_ptr_array_index (commands, i);

      if (!command->started && g_queue_remove (&self->queued, command))
        command_free (command);
    }

  g_object_set_qdata (G_OBJECT (task), response_code_quark (), GINT_TO_POINTER (op->code));
  return TRUE;
}

void
_cachet_imap_op_return_error (GTask  *task,
                              GError *error)
{
  if (!op_complete (task))
    {
      g_error_free (error);
      return;
    }
  g_task_return_error (task, error);
  g_object_unref (task);
}

void
_cachet_imap_op_return_boolean (GTask    *task,
                                gboolean  value)
{
  if (!op_complete (task))
    return;
  g_task_return_boolean (task, value);
  g_object_unref (task);
}

void
_cachet_imap_op_return_pointer (GTask          *task,
                                gpointer        value,
                                GDestroyNotify  value_free)
{
  if (!op_complete (task))
    {
      if (value != NULL && value_free != NULL)
        value_free (value);
      return;
    }
  g_task_return_pointer (task, value, value_free);
  g_object_unref (task);
}

/* Returns FALSE, having completed the operation with an error, unless the
 * session is signed in. */
gboolean
_cachet_imap_op_check_ready (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  CachetImapSession *self = op->session;

  if (self->state != CACHET_IMAP_SESSION_STATE_AUTHENTICATED &&
      self->state != CACHET_IMAP_SESSION_STATE_SELECTED)
    {
      _cachet_imap_op_return_error (task, not_connected_error (self));
      return FALSE;
    }
  return TRUE;
}

static gboolean
command_is_mid_write (CachetImapSession *self,
                      Command           *command)
{
  return self->writing == command && command->next_part > 0 &&
         command->next_part < command->parts->len;
}

static void
default_cancel (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  CachetImapSession *self = op->session;

  for (guint i = 0; i < op->commands->len; i++)
    {
      Command *command = g_ptr_array_index (op->commands, i);

      /* The server waits for the rest of a literal it agreed to take: there
       * is no way back but to end the session. */
      if (command_is_mid_write (self, command) && !command->open_ended)
        {
          _cachet_imap_session_fail (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                                _("The operation was cancelled.")));
          return;
        }
    }

  _cachet_imap_op_return_error (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                           _("The operation was cancelled.")));
}

/* Commands ------------------------------------------------------------------ */

static void
command_part_clear (gpointer data)
{
  CommandPart *part = data;

  g_clear_pointer (&part->bytes, g_bytes_unref);
}

Command *
_cachet_imap_command_new (CachetImapSession *self,
                          GTask             *task,
                          const char        *name,
                          ResponseKinds      kinds)
{
  Command *command = g_new0 (Command, 1);

  command->session = self;
  command->name = g_strdup (name);
  command->kinds = kinds;
  command->parts = g_array_new (FALSE, FALSE, sizeof (CommandPart));
  g_array_set_clear_func (command->parts, command_part_clear);
  if (task != NULL)
    {
      Op *op = g_task_get_task_data (task);

      command->task = g_object_ref (task);
      g_ptr_array_add (op->commands, command);
    }
  return command;
}

void
_cachet_imap_command_add_part (Command          *command,
                               GBytes           *bytes,
                               gboolean          wait,
                               CachetWriteFlags  flags)
{
  CommandPart part = { g_bytes_ref (bytes), wait, flags };

  g_array_append_val (command->parts, part);
}

static void
command_free (Command *command)
{
  if (command->task != NULL)
    {
      Op *op = g_task_get_task_data (command->task);

      g_ptr_array_remove (op->commands, command);
      g_object_unref (command->task);
    }
  g_array_unref (command->parts);
  g_free (command->name);
  g_free (command->tag);
  g_free (command->correlator);
  g_free (command);
}

/* Ends a command that got no tagged answer. */
static void
command_fail (Command      *command,
              const GError *error)
{
  command->finished = TRUE;
  if (command->done != NULL)
    command->done (command, NULL, error);
  command_free (command);
}

CachetImapCommandFlags
_cachet_imap_session_get_command_flags (CachetImapSession *self)
{
  CachetImapCommandFlags flags = CACHET_IMAP_COMMAND_FLAGS_NONE;

  if (cachet_imap_session_has_capability (self, "LITERAL+"))
    flags |= CACHET_IMAP_COMMAND_LITERAL_PLUS;
  else if (cachet_imap_session_has_capability (self, "LITERAL-"))
    flags |= CACHET_IMAP_COMMAND_LITERAL_MINUS;
  if (self->utf8_enabled)
    flags |= CACHET_IMAP_COMMAND_UTF8_ACCEPT;
  return flags;
}

/* CONDSTORE that ENABLE did not turn on is turned on by the SELECT
 * parameter (CONDSTORE) (RFC 7162 §3.1.8). */
gboolean
_cachet_imap_session_needs_condstore_parameter (CachetImapSession *self)
{
  return self->condstore_enabled && !self->condstore_confirmed;
}

guint
_cachet_imap_session_get_batch_size (CachetImapSession *self,
                                     gboolean           with_body)
{
  if (self->batch_size > 0)
    return self->batch_size;
  return with_body ? DEFAULT_BATCH_WITH_BODY : DEFAULT_BATCH_WITHOUT_BODY;
}

/* Tags start with random letters (security.md S5): whoever injects
 * responses, before TLS or from a hostile network, cannot answer a command
 * ahead of time, and a tag answered that was never sent ends the session. */
static void
choose_tag_prefix (CachetImapSession *self)
{
  guint8 random[TAG_PREFIX_LENGTH];

  /* GLib's generator, seeded from the system's, stands in where a sandbox
   * refuses the system call. */
  if (getrandom (random, sizeof random, 0) != sizeof random)
    for (gsize i = 0; i < sizeof random; i++)
      random[i] = g_random_int_range (0, 256);
  for (gsize i = 0; i < sizeof random; i++)
    self->tag_prefix[i] = 'A' + random[i] % 26;
  self->tag_prefix[TAG_PREFIX_LENGTH] = '\0';
}

/* Gives the command its tag and its bytes. */
static gboolean
command_build (CachetImapSession  *self,
               Command            *command,
               GError            **error)
{
  g_autoptr(CachetImapCommand) builder = NULL;

  command->tag = g_strdup_printf ("%s%04u", self->tag_prefix, ++self->next_tag);

  if (command->raw != NULL)
    return command->raw (command, command->tag, error);

  builder = cachet_imap_command_new (command->tag, command->name,
                                     _cachet_imap_session_get_command_flags (self));
  if (command->args != NULL && !command->args (command, builder, error))
    return FALSE;
  cachet_imap_command_end (builder);
  for (guint i = 0; i < cachet_imap_command_get_n_parts (builder); i++)
    {
      gboolean wait;
      GBytes *bytes = cachet_imap_command_get_part (builder, i, &wait);

      _cachet_imap_command_add_part (command, bytes, wait, CACHET_WRITE_NONE);
    }
  return TRUE;
}

void
_cachet_imap_session_queue (CachetImapSession *self,
                            Command           *command)
{
  if (self->state == CACHET_IMAP_SESSION_STATE_NOT_CONNECTED)
    {
      g_autoptr(GError) error = self->fatal != NULL ? g_error_copy (self->fatal)
                                                    : not_connected_error (self);

      command_fail (command, error);
      return;
    }

  g_queue_push_tail (&self->queued, command);
  /* IDLE holds the line: end it so that the command can go. */
  if (self->idle_command != NULL && command != self->idle_command)
    cachet_imap_session_idle_done (self);
  pump (self);
}

static gboolean
can_start (CachetImapSession *self,
           Command           *command)
{
  ResponseKinds busy = KIND_NONE;

  for (GList *l = self->in_flight.head; l != NULL; l = l->next)
    {
      Command *other = l->data;

      if (other->barrier)
        return FALSE;
      busy |= other->kinds;
    }
  if (command->barrier && !g_queue_is_empty (&self->in_flight))
    return FALSE;
  return (command->kinds & busy & AMBIGUOUS_KINDS) == 0;
}

/* Ending the session ---------------------------------------------------------- */

static void
on_closed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!cachet_connection_close_finish (CACHET_CONNECTION (source), result, &error))
    g_debug ("Closing the IMAP connection: %s", error->message);
}

static void
clear_idle_sources (CachetImapSession *self)
{
  if (self->idle_refresh_source != NULL)
    {
      g_source_destroy (self->idle_refresh_source);
      g_clear_pointer (&self->idle_refresh_source, g_source_unref);
    }
  if (self->done_timeout_source != NULL)
    {
      g_source_destroy (self->done_timeout_source);
      g_clear_pointer (&self->done_timeout_source, g_source_unref);
    }
}

/**
 * _cachet_imap_session_fail:
 * @error: (transfer full): why the session ends
 *
 * Ends the session: every pending command fails with @error, the connection
 * is closed, and ::closed is emitted. Later operations fail with
 * %CACHET_IMAP_ERROR_NOT_CONNECTED.
 */
void
_cachet_imap_session_fail (CachetImapSession *self,
                           GError            *error)
{
  /* Held until the end: failing may drop the last other reference. */
  G_GNUC_UNUSED g_autoptr(CachetImapSession) keep = g_object_ref (self);
  g_autoptr(GPtrArray) commands = g_ptr_array_new ();

  if (self->fatal != NULL)
    {
      g_error_free (error);
      return;
    }

  /* The message may quote the server, which may quote a mailbox name. */
  g_debug ("IMAP session ended: %s %d", g_quark_to_string (error->domain), error->code);
  self->fatal = error;
  g_cancellable_cancel (self->io_cancellable);
  clear_idle_sources (self);
  self->idle_command = NULL;
  self->writing = NULL;
  self->awaiting_greeting = FALSE;
  self->tls_upgrade_pending = FALSE;
  set_state (self, CACHET_IMAP_SESSION_STATE_NOT_CONNECTED);

  while (!g_queue_is_empty (&self->in_flight))
    g_ptr_array_add (commands, g_queue_pop_head (&self->in_flight));
  while (!g_queue_is_empty (&self->queued))
    g_ptr_array_add (commands, g_queue_pop_head (&self->queued));
  for (guint i = 0; i < commands->len; i++)
    command_fail (g_ptr_array_index (commands, i), self->fatal);

  if (self->connect_task != NULL)
    connect_fail (self, g_error_copy (self->fatal));

  g_clear_pointer (&self->selecting, mailbox_state_free);
  g_clear_pointer (&self->selected, mailbox_state_free);

  if (self->connection != NULL)
    cachet_connection_close_async (self->connection, NULL, on_closed, NULL);

  g_signal_emit (self, signals[SIGNAL_CLOSED], 0, self->fatal);
}

static GError *
protocol_error (CachetImapSession *self,
                const char        *detail)
{
  g_debug ("IMAP protocol error: %s", detail);
  return g_error_new (CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_PARSE,
                      _("The server %s sent a response that Cachet cannot accept, so the "
                        "connection was closed. Try again later; if it keeps happening, tell "
                        "your operator."),
                      _cachet_imap_session_get_host (self));
}

/* Turns a parser error into the user's error, keeping its code. */
static GError *
parser_error (CachetImapSession *self,
              GError            *error)
{
  G_GNUC_UNUSED g_autoptr(GError) owned = error;

  g_debug ("IMAP parser: %s", error->message);
  if (g_error_matches (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_LIMIT_EXCEEDED))
    return g_error_new (CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_LIMIT_EXCEEDED,
                        _("The server %s sent more data at once than Cachet accepts, so the "
                          "connection was closed. If it keeps happening, tell your operator."),
                        _cachet_imap_session_get_host (self));
  return protocol_error (self, "malformed response");
}

static void
fail_with_io_error (CachetImapSession *self,
                    GError            *error)
{
  if (g_error_matches (error, CACHET_NET_ERROR, CACHET_NET_ERROR_LINE_TOO_LONG))
    {
      g_debug ("IMAP: %s", error->message);
      g_error_free (error);
      error = g_error_new (CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_LIMIT_EXCEEDED,
                           _("The server %s sent more data at once than Cachet accepts, so the "
                             "connection was closed. If it keeps happening, tell your operator."),
                           _cachet_imap_session_get_host (self));
    }
  else if (self->bye_expected && self->bye_received)
    {
      /* LOGOUT answered with BYE, then the server hung up before its OK. */
      g_error_free (error);
      error = not_connected_error (self);
    }
  _cachet_imap_session_fail (self, error);
}

/* Writing ------------------------------------------------------------------ */

static void maybe_start_tls (CachetImapSession *self);

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CachetImapSession) self = user_data;
  g_autoptr(GError) error = NULL;

  self->write_pending = FALSE;
  if (!cachet_connection_write_finish (CACHET_CONNECTION (source), result, &error))
    {
      if (self->fatal == NULL)
        fail_with_io_error (self, g_steal_pointer (&error));
      return;
    }
  if (self->fatal != NULL)
    return;

  maybe_start_tls (self);
  pump (self);
}

static void
pump_writer (CachetImapSession *self)
{
  while (self->fatal == NULL && self->connection != NULL && !self->write_pending &&
         !self->tls_upgrade_pending && !self->awaiting_greeting)
    {
      Command *command = self->writing;

      if (command != NULL)
        {
          if (command->finished)
            {
              self->writing = NULL;
              continue;
            }
          if (command->next_part < command->parts->len)
            {
              CommandPart *part = &g_array_index (command->parts, CommandPart,
                                                  command->next_part);

              if (part->wait)
                {
                  if (command->continuations == 0)
                    return;
                  command->continuations--;
                }
              command->next_part++;
              self->write_pending = TRUE;
              cachet_connection_write_async (self->connection, part->bytes, part->flags,
                                             self->io_cancellable, on_written,
                                             g_object_ref (self));
              return;
            }
          if (command->open_ended)
            return;
          self->writing = NULL;
        }

      command = g_queue_peek_head (&self->queued);
      if (command == NULL || !can_start (self, command))
        return;
      g_queue_pop_head (&self->queued);

      {
        g_autoptr(GError) error = NULL;

        command->started = TRUE;
        if (!command_build (self, command, &error))
          {
            command_fail (command, error);
            continue;
          }
      }
      g_debug ("C: %s %s", command->tag, command->name);
      g_queue_push_tail (&self->in_flight, command);
      self->writing = command;
    }
}

/* Reading -------------------------------------------------------------------- */

static void on_line_read (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data);
static void on_literal_read (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data);

static void
ensure_reading (CachetImapSession *self)
{
  guint timeout = self->timeout_ms;

  if (self->reading || self->fatal != NULL || self->connection == NULL ||
      self->tls_upgrade_pending)
    return;
  if (!self->awaiting_greeting && g_queue_is_empty (&self->in_flight) &&
      self->literal_remaining == 0)
    return;

  /* IDLE waits for the server on purpose: the read lasts as long as the
   * IDLE command, and a timer guards the answer to DONE instead. */
  if (self->idle_command != NULL && self->idle_established && !self->idle_done_sent)
    timeout = self->idle_refresh_s * 1000 + IDLE_MARGIN_MS;

  self->reading = TRUE;
  cachet_connection_set_timeout (self->connection, timeout);
  if (self->literal_remaining > 0)
    cachet_connection_read_bytes_async (self->connection,
                                        (gsize) MIN (self->literal_remaining, LITERAL_CHUNK),
                                        self->io_cancellable, on_literal_read,
                                        g_object_ref (self));
  else
    cachet_connection_read_line_async (self->connection, self->io_cancellable, on_line_read,
                                       g_object_ref (self));
  cachet_connection_set_timeout (self->connection, self->timeout_ms);
}

static void
pump (CachetImapSession *self)
{
  pump_writer (self);
  ensure_reading (self);
}

static void
drain_responses (CachetImapSession *self)
{
  CachetImapResponse *response;

  while (self->fatal == NULL &&
         (response = cachet_imap_parser_next_response (self->parser)) != NULL)
    {
      dispatch (self, response);
      cachet_imap_response_unref (response);
    }
}

/* The size of the literal that ends @line: the parser has checked it. */
static gboolean
literal_size_at_end (const char *line,
                     gsize       length,
                     guint64    *size)
{
  gsize start;

  if (length < 3 || line[length - 1] != '}')
    return FALSE;
  start = length - 1;
  while (start > 0 && g_ascii_isdigit (line[start - 1]))
    start--;
  if (start == 0 || start == length - 1 || line[start - 1] != '{')
    return FALSE;
  *size = g_ascii_strtoull (line + start, NULL, 10);
  return TRUE;
}

static void
on_line_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CachetImapSession) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree guint8 *data = NULL;
  gsize length = 0;

  self->reading = FALSE;
  line = cachet_connection_read_line_finish (CACHET_CONNECTION (source), result, &length, &error);
  if (self->fatal != NULL)
    return;
  if (line == NULL)
    {
      fail_with_io_error (self, g_steal_pointer (&error));
      return;
    }

  /* The connection took the line break off; the parser wants it back. */
  data = g_malloc (length + 2);
  memcpy (data, line, length);
  data[length] = '\r';
  data[length + 1] = '\n';
  if (!cachet_imap_parser_feed (self->parser, data, length + 2, &error))
    {
      drain_responses (self);
      _cachet_imap_session_fail (self, parser_error (self, g_steal_pointer (&error)));
      return;
    }
  drain_responses (self);
  if (self->fatal != NULL)
    return;

  /* A line that leaves a response open announced a literal. */
  if (cachet_imap_parser_has_pending_data (self->parser))
    {
      guint64 size;

      if (!literal_size_at_end (line, length, &size))
        {
          _cachet_imap_session_fail (self, protocol_error (self, "response left open"));
          return;
        }
      self->literal_remaining = size;
    }

  pump (self);
}

static void
on_literal_read (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CachetImapSession) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize size;
  const guint8 *data;

  self->reading = FALSE;
  bytes = cachet_connection_read_bytes_finish (CACHET_CONNECTION (source), result, &error);
  if (self->fatal != NULL)
    return;
  if (bytes == NULL)
    {
      fail_with_io_error (self, g_steal_pointer (&error));
      return;
    }

  data = g_bytes_get_data (bytes, &size);
  self->literal_remaining -= size;
  if (!cachet_imap_parser_feed (self->parser, data, size, &error))
    {
      _cachet_imap_session_fail (self, parser_error (self, g_steal_pointer (&error)));
      return;
    }
  g_clear_pointer (&bytes, g_bytes_unref);
  drain_responses (self);
  if (self->fatal != NULL)
    return;

  pump (self);
}

/* Capabilities ---------------------------------------------------------------- */

static void
clear_capabilities (CachetImapSession *self)
{
  g_hash_table_remove_all (self->capabilities);
  g_clear_pointer (&self->capability_list, g_strfreev);
}

static void
set_capabilities (CachetImapSession *self,
                  char             **capabilities)
{
  clear_capabilities (self);
  for (gsize i = 0; capabilities != NULL && capabilities[i] != NULL; i++)
    g_hash_table_add (self->capabilities, g_strdup (capabilities[i]));
  self->capability_list = capabilities != NULL ? capabilities : g_new0 (char *, 1);
}

static char **
mechanisms (CachetImapSession *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (gsize i = 0; self->capability_list != NULL && self->capability_list[i] != NULL; i++)
    {
      if (g_str_has_prefix (self->capability_list[i], "AUTH="))
        g_strv_builder_add (builder, self->capability_list[i] + 5);
    }
  return g_strv_builder_end (builder);
}

/* Untagged responses ------------------------------------------------------------ */

static gboolean
route (CachetImapSession  *self,
       ResponseKinds       kind,
       CachetImapResponse *response)
{
  for (GList *l = self->in_flight.head; l != NULL; l = l->next)
    {
      Command *command = l->data;

      if ((command->kinds & kind) != 0 && command->untagged != NULL &&
          command->untagged (command, response))
        return TRUE;
    }
  return FALSE;
}

static void
idle_wake (CachetImapSession *self)
{
  if (self->idle_command != NULL && self->idle_established && !self->idle_done_sent)
    {
      self->idle_woken = TRUE;
      idle_send_done (self);
    }
}

static void
handle_mailbox_code (CachetImapSession  *self,
                     CachetImapResponse *response)
{
  CachetImapResponseCode code = cachet_imap_response_get_code (response);
  MailboxState *mailbox;
  gboolean notify;
  guint64 number = 0;

  if (code == CACHET_IMAP_RESPONSE_CODE_CLOSED)
    {
      self->await_closed = FALSE;
      g_ptr_array_set_size (self->before_closed, 0);
      return;
    }

  mailbox = target_mailbox (self, &notify);
  if (mailbox == NULL)
    return;

  switch (code)
    {
    case CACHET_IMAP_RESPONSE_CODE_UIDVALIDITY:
      if (cachet_imap_response_get_code_number (response, &number))
        mailbox->uidvalidity = (guint32) number;
      break;
    case CACHET_IMAP_RESPONSE_CODE_UIDNEXT:
      if (cachet_imap_response_get_code_number (response, &number))
        mailbox->uidnext = (guint32) number;
      break;
    case CACHET_IMAP_RESPONSE_CODE_HIGHESTMODSEQ:
      if (cachet_imap_response_get_code_number (response, &number))
        {
          mailbox->highest_modseq = number;
          mailbox->nomodseq = FALSE;
        }
      break;
    case CACHET_IMAP_RESPONSE_CODE_NOMODSEQ:
      mailbox->highest_modseq = 0;
      mailbox->nomodseq = TRUE;
      break;
    case CACHET_IMAP_RESPONSE_CODE_PERMANENTFLAGS:
      g_strfreev (mailbox->permanent_flags);
      mailbox->permanent_flags = cachet_imap_response_dup_flags (response);
      break;
    case CACHET_IMAP_RESPONSE_CODE_READ_ONLY:
      mailbox->read_only = TRUE;
      break;
    case CACHET_IMAP_RESPONSE_CODE_READ_WRITE:
      mailbox->read_only = FALSE;
      break;
    case CACHET_IMAP_RESPONSE_CODE_NONE:
    case CACHET_IMAP_RESPONSE_CODE_OTHER:
    case CACHET_IMAP_RESPONSE_CODE_ALERT:
    case CACHET_IMAP_RESPONSE_CODE_ALREADYEXISTS:
    case CACHET_IMAP_RESPONSE_CODE_APPENDUID:
    case CACHET_IMAP_RESPONSE_CODE_AUTHENTICATIONFAILED:
    case CACHET_IMAP_RESPONSE_CODE_AUTHORIZATIONFAILED:
    case CACHET_IMAP_RESPONSE_CODE_BADCHARSET:
    case CACHET_IMAP_RESPONSE_CODE_CANNOT:
    case CACHET_IMAP_RESPONSE_CODE_CAPABILITY:
    case CACHET_IMAP_RESPONSE_CODE_CLIENTBUG:
    case CACHET_IMAP_RESPONSE_CODE_CLOSED:
    case CACHET_IMAP_RESPONSE_CODE_CONTACTADMIN:
    case CACHET_IMAP_RESPONSE_CODE_COPYUID:
    case CACHET_IMAP_RESPONSE_CODE_CORRUPTION:
    case CACHET_IMAP_RESPONSE_CODE_EXPIRED:
    case CACHET_IMAP_RESPONSE_CODE_EXPUNGEISSUED:
    case CACHET_IMAP_RESPONSE_CODE_INUSE:
    case CACHET_IMAP_RESPONSE_CODE_LIMIT:
    case CACHET_IMAP_RESPONSE_CODE_MODIFIED:
    case CACHET_IMAP_RESPONSE_CODE_NONEXISTENT:
    case CACHET_IMAP_RESPONSE_CODE_NOPERM:
    case CACHET_IMAP_RESPONSE_CODE_OVERQUOTA:
    case CACHET_IMAP_RESPONSE_CODE_PARSE:
    case CACHET_IMAP_RESPONSE_CODE_PRIVACYREQUIRED:
    case CACHET_IMAP_RESPONSE_CODE_SERVERBUG:
    case CACHET_IMAP_RESPONSE_CODE_TRYCREATE:
    case CACHET_IMAP_RESPONSE_CODE_UIDNOTSTICKY:
    case CACHET_IMAP_RESPONSE_CODE_UNAVAILABLE:
    case CACHET_IMAP_RESPONSE_CODE_UNKNOWN_CTE:
    case CACHET_IMAP_RESPONSE_CODE_UNSEEN:
    default:
      break;
    }
}

static void
handle_untagged_status (CachetImapSession  *self,
                        CachetImapResponse *response)
{
  CachetImapStatus status = cachet_imap_response_get_status (response);
  CachetImapResponseCode code = cachet_imap_response_get_code (response);

  if (status == CACHET_IMAP_STATUS_BYE)
    {
      g_autofree char *text = NULL;

      if (self->bye_expected)
        {
          self->bye_received = TRUE;
          return;
        }
      text = _cachet_imap_sanitize_text (cachet_imap_response_get_text (response));
      _cachet_imap_session_fail (self, g_error_new (CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_BYE,
                                                    _("The server %s ended the session (%s). "
                                                      "Try again later; if it keeps happening, "
                                                      "tell your operator."),
                                                    _cachet_imap_session_get_host (self), text));
      return;
    }

  if (code == CACHET_IMAP_RESPONSE_CODE_ALERT)
    {
      /* Only over TLS: before, anyone on the path could have written it. */
      if (cachet_imap_session_is_secure (self))
        {
          const char *raw = cachet_imap_response_get_text (response);
          g_autofree char *text = _cachet_imap_sanitize_text (raw);

          g_signal_emit (self, signals[SIGNAL_ALERT], 0, text);
        }
      return;
    }

  if (code == CACHET_IMAP_RESPONSE_CODE_COPYUID)
    {
      route (self, KIND_COPYUID, response);
      return;
    }

  if (code == CACHET_IMAP_RESPONSE_CODE_CAPABILITY && cachet_imap_session_is_secure (self) &&
      status == CACHET_IMAP_STATUS_OK)
    {
      set_capabilities (self, cachet_imap_response_dup_capabilities (response));
      return;
    }

  if (status == CACHET_IMAP_STATUS_OK)
    handle_mailbox_code (self, response);
}

static void
handle_fetch (CachetImapSession  *self,
              CachetImapResponse *response)
{
  gboolean notify;
  MailboxState *mailbox = target_mailbox (self, &notify);
  guint64 seq = 0;
  guint64 uid = 0;
  guint64 modseq = 0;
  g_auto(GStrv) flags = NULL;

  cachet_imap_response_get_number (response, &seq);
  if (cachet_imap_response_get_fetch_number (response, "UID", &uid) && mailbox != NULL &&
      !cachet_imap_mailbox_map_set_uid (mailbox->map, (guint32) seq, (guint32) uid))
    g_debug ("FETCH gave a UID that does not fit the mailbox; not recorded");

  if (route (self, KIND_FETCH, response))
    return;
  if (mailbox == NULL)
    return;

  if (uid == 0)
    uid = cachet_imap_mailbox_map_get_uid (mailbox->map, (guint32) seq);
  if (cachet_imap_response_get_fetch_number (response, "MODSEQ", &modseq) &&
      self->qresync_enabled && modseq > mailbox->highest_modseq)
    mailbox->highest_modseq = modseq;

  flags = cachet_imap_response_dup_flags (response);
  if (notify && flags != NULL)
    {
      g_signal_emit (self, signals[SIGNAL_FLAGS_CHANGED], 0, (guint) uid, (guint) seq, flags,
                     modseq);
      idle_wake (self);
    }
}

static gboolean
is_mailbox_data (CachetImapResponse *response)
{
  switch (cachet_imap_response_get_response_type (response))
    {
    case CACHET_IMAP_RESPONSE_FLAGS:
    case CACHET_IMAP_RESPONSE_EXISTS:
    case CACHET_IMAP_RESPONSE_RECENT:
    case CACHET_IMAP_RESPONSE_EXPUNGE:
    case CACHET_IMAP_RESPONSE_FETCH:
      return TRUE;
    case CACHET_IMAP_RESPONSE_VANISHED:
      {
        gboolean earlier = FALSE;
        G_GNUC_UNUSED g_autoptr(GArray) uids = cachet_imap_response_dup_vanished (response, &earlier);

        return !earlier;
      }
    case CACHET_IMAP_RESPONSE_STATUS:
      return cachet_imap_response_get_status (response) == CACHET_IMAP_STATUS_OK &&
             cachet_imap_response_get_code (response) != CACHET_IMAP_RESPONSE_CODE_NONE &&
             cachet_imap_response_get_code (response) != CACHET_IMAP_RESPONSE_CODE_CLOSED &&
             cachet_imap_response_get_code (response) != CACHET_IMAP_RESPONSE_CODE_ALERT &&
             cachet_imap_response_get_code (response) != CACHET_IMAP_RESPONSE_CODE_CAPABILITY &&
             cachet_imap_response_get_code (response) != CACHET_IMAP_RESPONSE_CODE_COPYUID;
    case CACHET_IMAP_RESPONSE_CONTINUATION:
    case CACHET_IMAP_RESPONSE_CAPABILITY:
    case CACHET_IMAP_RESPONSE_ENABLED:
    case CACHET_IMAP_RESPONSE_LIST:
    case CACHET_IMAP_RESPONSE_LSUB:
    case CACHET_IMAP_RESPONSE_MAILBOX_STATUS:
    case CACHET_IMAP_RESPONSE_SEARCH:
    case CACHET_IMAP_RESPONSE_ESEARCH:
    case CACHET_IMAP_RESPONSE_OTHER:
    default:
      return FALSE;
    }
}

static void
handle_untagged (CachetImapSession  *self,
                 CachetImapResponse *response)
{
  gboolean notify;
  MailboxState *mailbox;
  guint64 number = 0;

  if (self->await_closed && is_mailbox_data (response))
    {
      if (!hold_before_closed (self, response))
        _cachet_imap_session_fail (self, protocol_error (self, "too much data before [CLOSED]"));
      return;
    }

  switch (cachet_imap_response_get_response_type (response))
    {
    case CACHET_IMAP_RESPONSE_STATUS:
      handle_untagged_status (self, response);
      break;

    case CACHET_IMAP_RESPONSE_CAPABILITY:
      if (!route (self, KIND_CAPABILITY, response) && cachet_imap_session_is_secure (self))
        set_capabilities (self, cachet_imap_response_dup_capabilities (response));
      break;

    case CACHET_IMAP_RESPONSE_ENABLED:
      route (self, KIND_ENABLED, response);
      break;

    case CACHET_IMAP_RESPONSE_LIST:
      route (self, KIND_LIST, response);
      break;

    case CACHET_IMAP_RESPONSE_LSUB:
      route (self, KIND_LSUB, response);
      break;

    case CACHET_IMAP_RESPONSE_MAILBOX_STATUS:
      route (self, KIND_STATUS, response);
      break;

    case CACHET_IMAP_RESPONSE_SEARCH:
      route (self, KIND_SEARCH, response);
      break;

    case CACHET_IMAP_RESPONSE_ESEARCH:
      route (self, KIND_ESEARCH, response);
      break;

    case CACHET_IMAP_RESPONSE_FLAGS:
      mailbox = target_mailbox (self, &notify);
      if (mailbox != NULL)
        {
          g_strfreev (mailbox->flags);
          mailbox->flags = cachet_imap_response_dup_flags (response);
        }
      break;

    case CACHET_IMAP_RESPONSE_EXISTS:
      mailbox = target_mailbox (self, &notify);
      cachet_imap_response_get_number (response, &number);
      if (mailbox != NULL)
        {
          guint32 before = cachet_imap_mailbox_map_get_count (mailbox->map);

          cachet_imap_mailbox_map_set_count (mailbox->map, (guint32) number);
          if (notify && before != (guint32) number)
            {
              g_signal_emit (self, signals[SIGNAL_EXISTS], 0, (guint) number);
              idle_wake (self);
            }
        }
      break;

    case CACHET_IMAP_RESPONSE_EXPUNGE:
      mailbox = target_mailbox (self, &notify);
      cachet_imap_response_get_number (response, &number);
      if (mailbox != NULL)
        {
          guint32 uid = 0;

          if (!cachet_imap_mailbox_map_expunge (mailbox->map, (guint32) number, &uid))
            {
              g_debug ("EXPUNGE of a message number out of range; ignored");
              break;
            }
          if (notify)
            {
              g_signal_emit (self, signals[SIGNAL_EXPUNGED], 0, (guint) number, (guint) uid);
              idle_wake (self);
            }
        }
      break;

    case CACHET_IMAP_RESPONSE_FETCH:
      handle_fetch (self, response);
      break;

    case CACHET_IMAP_RESPONSE_VANISHED:
      {
        gboolean earlier = FALSE;
        G_GNUC_UNUSED g_autoptr(GArray) uids = cachet_imap_response_dup_vanished (response, &earlier);

        if (earlier)
          {
            route (self, KIND_VANISHED_EARLIER, response);
            break;
          }
        mailbox = target_mailbox (self, &notify);
        if (mailbox != NULL)
          {
            cachet_imap_mailbox_map_remove_uids (mailbox->map, uids);
            if (notify)
              {
                g_signal_emit (self, signals[SIGNAL_VANISHED], 0, uids);
                idle_wake (self);
              }
          }
      }
      break;

    case CACHET_IMAP_RESPONSE_RECENT:
    case CACHET_IMAP_RESPONSE_OTHER:
    case CACHET_IMAP_RESPONSE_CONTINUATION:
    default:
      break;
    }
}

static void
handle_continuation (CachetImapSession  *self,
                     CachetImapResponse *response)
{
  Command *command = self->writing;
  guint waits = 0;

  if (command == NULL)
    {
      _cachet_imap_session_fail (self, protocol_error (self, "continuation request out of place"));
      return;
    }

  if (command->on_continue != NULL)
    {
      command->on_continue (command, response);
      pump (self);
      return;
    }

  for (guint i = command->next_part; i < command->parts->len; i++)
    {
      if (g_array_index (command->parts, CommandPart, i).wait)
        waits++;
    }
  if (waits <= command->continuations)
    {
      _cachet_imap_session_fail (self, protocol_error (self, "continuation request out of place"));
      return;
    }
  command->continuations++;
  pump (self);
}

static void
handle_tagged (CachetImapSession  *self,
               CachetImapResponse *response)
{
  const char *tag = cachet_imap_response_get_tag (response);
  Command *command = NULL;
  g_autoptr(GError) error = NULL;

  for (GList *l = self->in_flight.head; l != NULL; l = l->next)
    {
      Command *candidate = l->data;

      if (g_strcmp0 (candidate->tag, tag) == 0)
        {
          command = candidate;
          g_queue_delete_link (&self->in_flight, l);
          break;
        }
    }
  if (command == NULL)
    {
      _cachet_imap_session_fail (self, protocol_error (self, "answer to a command never sent"));
      return;
    }

  g_debug ("S: %s %s", command->tag,
           cachet_imap_response_get_status (response) == CACHET_IMAP_STATUS_OK ? "OK" :
           cachet_imap_response_get_status (response) == CACHET_IMAP_STATUS_NO ? "NO" : "BAD");
  command->finished = TRUE;
  if (self->writing == command)
    self->writing = NULL;

  if (cachet_imap_response_get_status (response) != CACHET_IMAP_STATUS_OK)
    error = _cachet_imap_session_server_error (self, response);
  if (command->done != NULL)
    command->done (command, response, error);
  command_free (command);

  if (self->fatal == NULL)
    pump (self);
}

static void handle_greeting (CachetImapSession  *self,
                             CachetImapResponse *response);

static void
dispatch (CachetImapSession  *self,
          CachetImapResponse *response)
{
  CachetImapResponseType type = cachet_imap_response_get_response_type (response);

  if (type == CACHET_IMAP_RESPONSE_CONTINUATION)
    g_debug ("S: +");
  else if (cachet_imap_response_get_tag (response) == NULL)
    g_debug ("S: * %s", cachet_imap_response_get_name (response));

  if (self->awaiting_greeting)
    handle_greeting (self, response);
  else if (type == CACHET_IMAP_RESPONSE_CONTINUATION)
    handle_continuation (self, response);
  else if (cachet_imap_response_get_tag (response) != NULL)
    handle_tagged (self, response);
  else
    handle_untagged (self, response);
}

/* Connecting -------------------------------------------------------------------- */

typedef enum
{
  AUTH_NONE,
  AUTH_SASL,
  AUTH_LOGIN,
} AuthMethod;

typedef struct
{
  CachetSasl          *sasl;
  CachetSaslMechanism  mechanism;
  AuthMethod           method;
  char                *password;
  GError              *sasl_error;
} ConnectData;

static void
connect_data_free (gpointer data)
{
  ConnectData *connect = data;

  g_clear_object (&connect->sasl);
  g_clear_pointer (&connect->password, cachet_secret_free);
  g_clear_error (&connect->sasl_error);
  g_free (connect);
}

static void
connect_fail (CachetImapSession *self,
              GError            *error)
{
  GTask *task = g_steal_pointer (&self->connect_task);

  if (task == NULL)
    {
      g_error_free (error);
      return;
    }
  _cachet_imap_op_return_error (task, g_error_copy (error));
  /* After the task returned: _cachet_imap_session_fail() calls back here. */
  _cachet_imap_session_fail (self, error);
}

static void
connect_succeed (CachetImapSession *self)
{
  GTask *task = g_steal_pointer (&self->connect_task);

  set_state (self, CACHET_IMAP_SESSION_STATE_AUTHENTICATED);
  g_debug ("IMAP session ready");
  _cachet_imap_op_return_boolean (task, TRUE);
}

static void
connect_cancel (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  connect_fail (op->session, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                  _("The operation was cancelled.")));
}

static ConnectData *
connect_data (CachetImapSession *self)
{
  return _cachet_imap_op_get_data (self->connect_task);
}

static void send_capability (CachetImapSession *self,
                             void             (*next) (CachetImapSession *self));
static void authenticate (CachetImapSession *self);
static void after_authentication (CachetImapSession *self);
static void send_enable (CachetImapSession *self);

/* A command of the connection sequence; its answer is handled by @done. */
static Command *
connect_command (CachetImapSession *self,
                 const char        *name,
                 ResponseKinds      kinds,
                 CommandDoneFunc    done)
{
  Command *command = _cachet_imap_command_new (self, self->connect_task, name, kinds);

  command->barrier = TRUE;
  command->done = done;
  return command;
}

/* The connect task is still running: the session's own state says so. */
static gboolean
connect_alive (Command *command)
{
  return command->session->connect_task != NULL && command->task == command->session->connect_task;
}

/* CAPABILITY */

typedef void (*NextStep) (CachetImapSession *self);

static gboolean
capability_untagged (Command            *command,
                     CachetImapResponse *response)
{
  set_capabilities (command->session, cachet_imap_response_dup_capabilities (response));
  return TRUE;
}

static void
capability_done (Command            *command,
                 CachetImapResponse *tagged,
                 const GError       *error)
{
  CachetImapSession *self = command->session;
  NextStep next = (NextStep) (void (*) (void)) command->data;

  if (!connect_alive (command))
    return;
  if (error != NULL)
    {
      connect_fail (self, g_error_copy (error));
      return;
    }
  next (self);
}

static void
send_capability (CachetImapSession *self,
                 NextStep           next)
{
  Command *command = connect_command (self, "CAPABILITY", KIND_CAPABILITY, capability_done);

  command->untagged = capability_untagged;
  command->data = (gpointer) (void (*) (void)) next;
  _cachet_imap_session_queue (self, command);
}

/* STARTTLS */

static void
on_tls_started (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CachetImapSession) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cachet_connection_start_tls_finish (CACHET_CONNECTION (source), result, &error))
    {
      if (self->connect_task != NULL)
        connect_fail (self, g_steal_pointer (&error));
      return;
    }
  if (self->connect_task == NULL || self->fatal != NULL)
    return;

  self->tls_upgrade_pending = FALSE;
  self->tls_handshaking = FALSE;
  /* Forget everything learnt before TLS, and the tags seen in clear. */
  choose_tag_prefix (self);
  g_clear_object (&self->parser);
  self->parser = cachet_imap_parser_new (&self->limits);
  clear_capabilities (self);

  send_capability (self, authenticate);
}

static void
maybe_start_tls (CachetImapSession *self)
{
  if (!self->tls_upgrade_pending || self->tls_handshaking || self->write_pending ||
      self->reading || self->fatal != NULL)
    return;

  /* The parser was fed line by line: it cannot hold anything past the
   * go-ahead, but make sure. */
  if (cachet_imap_parser_has_pending_data (self->parser))
    {
      connect_fail (self, protocol_error (self, "data after the STARTTLS answer"));
      return;
    }

  g_debug ("Starting TLS");
  self->tls_handshaking = TRUE;
  cachet_connection_start_tls_async (self->connection, self->io_cancellable, on_tls_started,
                                     g_object_ref (self));
}

static GError *
starttls_refused (CachetImapSession *self)
{
  return g_error_new (CACHET_NET_ERROR, CACHET_NET_ERROR_STARTTLS_REFUSED,
                      _("The server %s did not agree to encrypt the connection (STARTTLS), so "
                        "Cachet sent nothing and disconnected. Use the imaps:// address of the "
                        "server, or ask your operator to enable STARTTLS."),
                      _cachet_imap_session_get_host (self));
}

static void
starttls_done (Command            *command,
               CachetImapResponse *tagged,
               const GError       *error)
{
  CachetImapSession *self = command->session;

  if (!connect_alive (command))
    return;
  if (tagged == NULL)
    {
      connect_fail (self, g_error_copy (error));
      return;
    }
  if (error != NULL)
    {
      connect_fail (self, starttls_refused (self));
      return;
    }

  self->tls_upgrade_pending = TRUE;
  maybe_start_tls (self);
}

/* "+" is no answer to STARTTLS (EAST O_4): refused like NO and BAD. */
static void
starttls_continue (Command            *command,
                   CachetImapResponse *response)
{
  if (connect_alive (command))
    connect_fail (command->session, starttls_refused (command->session));
}

static void
send_starttls (CachetImapSession *self)
{
  Command *command = connect_command (self, "STARTTLS", KIND_NONE, starttls_done);

  command->open_ended = TRUE;
  command->on_continue = starttls_continue;
  _cachet_imap_session_queue (self, command);
}

/* The greeting */

static void
handle_greeting (CachetImapSession  *self,
                 CachetImapResponse *response)
{
  CachetImapStatus status = cachet_imap_response_get_status (response);
  gboolean starttls =
    cachet_server_address_get_tls_mode (self->address) == CACHET_TLS_MODE_STARTTLS;
  g_auto(GStrv) capabilities = NULL;

  self->awaiting_greeting = FALSE;

  if (cachet_imap_response_get_response_type (response) != CACHET_IMAP_RESPONSE_STATUS ||
      cachet_imap_response_get_tag (response) != NULL ||
      (status != CACHET_IMAP_STATUS_OK && status != CACHET_IMAP_STATUS_PREAUTH &&
       status != CACHET_IMAP_STATUS_BYE))
    {
      connect_fail (self, protocol_error (self, "invalid greeting"));
      return;
    }

  if (status == CACHET_IMAP_STATUS_BYE)
    {
      g_autofree char *text = _cachet_imap_sanitize_text (cachet_imap_response_get_text (response));

      /* Text sent before TLS could come from anyone on the path: not shown. */
      if (starttls)
        connect_fail (self, g_error_new (CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_BYE,
                                         _("The server %s refused the connection. Try again "
                                           "later; if it keeps happening, tell your operator."),
                                         _cachet_imap_session_get_host (self)));
      else
        connect_fail (self, g_error_new (CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_BYE,
                                         _("The server %s refused the connection (%s). Try again "
                                           "later; if it keeps happening, tell your operator."),
                                         _cachet_imap_session_get_host (self), text));
      return;
    }

  if (cachet_imap_response_get_code (response) == CACHET_IMAP_RESPONSE_CODE_CAPABILITY)
    capabilities = cachet_imap_response_dup_capabilities (response);

  if (starttls)
    {
      /* PREAUTH skips to the authenticated state, where STARTTLS is no
       * longer allowed: the session could only go on in plaintext. */
      if (status == CACHET_IMAP_STATUS_PREAUTH ||
          (capabilities != NULL && !g_strv_contains ((const char * const *) capabilities,
                                                     "STARTTLS")))
        {
          connect_fail (self, starttls_refused (self));
          return;
        }
      /* Nothing else said before TLS is kept or believed. */
      send_starttls (self);
      return;
    }

  if (capabilities != NULL)
    set_capabilities (self, g_steal_pointer (&capabilities));
  if (cachet_imap_response_get_code (response) == CACHET_IMAP_RESPONSE_CODE_ALERT)
    {
      g_autofree char *text = _cachet_imap_sanitize_text (cachet_imap_response_get_text (response));

      g_signal_emit (self, signals[SIGNAL_ALERT], 0, text);
    }

  if (status == CACHET_IMAP_STATUS_PREAUTH)
    {
      g_debug ("Greeting: PREAUTH");
      if (g_hash_table_size (self->capabilities) == 0)
        send_capability (self, send_enable);
      else
        send_enable (self);
      return;
    }

  if (g_hash_table_size (self->capabilities) == 0)
    send_capability (self, authenticate);
  else
    authenticate (self);
}

/* Signing in */

static GError *
missing_password (CachetImapSession *self)
{
  return g_error_new (CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_UNAUTHENTICATED,
                      _("No password is saved for the account “%s”. Enter the password in the "
                        "account settings, then connect again."),
                      cachet_account_get_name (self->account));
}

static GError *
authentication_failed (CachetImapSession  *self,
                       CachetImapResponse *tagged)
{
  switch (cachet_imap_response_get_code (tagged))
    {
    case CACHET_IMAP_RESPONSE_CODE_UNAVAILABLE:
    case CACHET_IMAP_RESPONSE_CODE_PRIVACYREQUIRED:
    case CACHET_IMAP_RESPONSE_CODE_CONTACTADMIN:
      return _cachet_imap_session_server_error (self, tagged);
    case CACHET_IMAP_RESPONSE_CODE_NONE:
    case CACHET_IMAP_RESPONSE_CODE_OTHER:
    case CACHET_IMAP_RESPONSE_CODE_ALERT:
    case CACHET_IMAP_RESPONSE_CODE_ALREADYEXISTS:
    case CACHET_IMAP_RESPONSE_CODE_APPENDUID:
    case CACHET_IMAP_RESPONSE_CODE_AUTHENTICATIONFAILED:
    case CACHET_IMAP_RESPONSE_CODE_AUTHORIZATIONFAILED:
    case CACHET_IMAP_RESPONSE_CODE_BADCHARSET:
    case CACHET_IMAP_RESPONSE_CODE_CANNOT:
    case CACHET_IMAP_RESPONSE_CODE_CAPABILITY:
    case CACHET_IMAP_RESPONSE_CODE_CLIENTBUG:
    case CACHET_IMAP_RESPONSE_CODE_CLOSED:
    case CACHET_IMAP_RESPONSE_CODE_COPYUID:
    case CACHET_IMAP_RESPONSE_CODE_CORRUPTION:
    case CACHET_IMAP_RESPONSE_CODE_EXPIRED:
    case CACHET_IMAP_RESPONSE_CODE_EXPUNGEISSUED:
    case CACHET_IMAP_RESPONSE_CODE_HIGHESTMODSEQ:
    case CACHET_IMAP_RESPONSE_CODE_INUSE:
    case CACHET_IMAP_RESPONSE_CODE_LIMIT:
    case CACHET_IMAP_RESPONSE_CODE_MODIFIED:
    case CACHET_IMAP_RESPONSE_CODE_NOMODSEQ:
    case CACHET_IMAP_RESPONSE_CODE_NONEXISTENT:
    case CACHET_IMAP_RESPONSE_CODE_NOPERM:
    case CACHET_IMAP_RESPONSE_CODE_OVERQUOTA:
    case CACHET_IMAP_RESPONSE_CODE_PARSE:
    case CACHET_IMAP_RESPONSE_CODE_PERMANENTFLAGS:
    case CACHET_IMAP_RESPONSE_CODE_READ_ONLY:
    case CACHET_IMAP_RESPONSE_CODE_READ_WRITE:
    case CACHET_IMAP_RESPONSE_CODE_SERVERBUG:
    case CACHET_IMAP_RESPONSE_CODE_TRYCREATE:
    case CACHET_IMAP_RESPONSE_CODE_UIDNEXT:
    case CACHET_IMAP_RESPONSE_CODE_UIDNOTSTICKY:
    case CACHET_IMAP_RESPONSE_CODE_UIDVALIDITY:
    case CACHET_IMAP_RESPONSE_CODE_UNKNOWN_CTE:
    case CACHET_IMAP_RESPONSE_CODE_UNSEEN:
    default:
      return g_error_new (CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_UNAUTHENTICATED,
                          _("The server %s refused the login or password of the account "
                            "“%s”. Check the password in the account settings and enter it "
                            "again."),
                          _cachet_imap_session_get_host (self),
                          cachet_account_get_name (self->account));
    }
}

static void
authenticated_done (Command            *command,
                    CachetImapResponse *tagged,
                    const GError       *error)
{
  CachetImapSession *self = command->session;
  ConnectData *connect;

  if (!connect_alive (command))
    return;
  connect = connect_data (self);
  g_clear_pointer (&connect->password, cachet_secret_free);
  g_clear_object (&connect->sasl);

  if (connect->sasl_error != NULL)
    {
      connect_fail (self, g_steal_pointer (&connect->sasl_error));
      return;
    }
  if (tagged == NULL)
    {
      connect_fail (self, g_error_copy (error));
      return;
    }
  if (error != NULL)
    {
      _cachet_imap_op_set_code (self->connect_task, tagged);
      connect_fail (self, cachet_imap_response_get_status (tagged) == CACHET_IMAP_STATUS_NO
                          ? authentication_failed (self, tagged) : g_error_copy (error));
      return;
    }

  g_debug ("Signed in");
  /* Capabilities often change once signed in; servers usually say so. */
  if (cachet_imap_response_get_code (tagged) == CACHET_IMAP_RESPONSE_CODE_CAPABILITY)
    {
      set_capabilities (self, cachet_imap_response_dup_capabilities (tagged));
      after_authentication (self);
    }
  else
    {
      send_capability (self, after_authentication);
    }
}

/* A line that carries credentials: wiped once written. */
static void
add_secret_part (Command *command,
                 char    *secret,
                 gboolean wait)
{
  g_autoptr(GBytes) bytes = cachet_secret_to_bytes (secret);

  _cachet_imap_command_add_part (command, bytes, wait, CACHET_WRITE_CREDENTIALS);
}

static void
sasl_continue (Command            *command,
               CachetImapResponse *response)
{
  CachetImapSession *self = command->session;
  ConnectData *connect;
  g_autoptr(GError) error = NULL;
  char *answer;

  if (!connect_alive (command) || connect_data (self)->sasl == NULL)
    {
      add_secret_part (command, g_strdup ("*\r\n"), FALSE);
      return;
    }
  connect = connect_data (self);

  answer = cachet_sasl_respond (connect->sasl, cachet_imap_response_get_text (response), &error);
  if (answer == NULL)
    {
      /* RFC 9051 §6.2.2: "*" abandons the exchange; the server answers BAD. */
      g_clear_error (&connect->sasl_error);
      connect->sasl_error = g_steal_pointer (&error);
      add_secret_part (command, g_strdup ("*\r\n"), FALSE);
      return;
    }
  add_secret_part (command, g_strconcat (answer, "\r\n", NULL), FALSE);
  cachet_secret_free (answer);
}

static gboolean
authenticate_raw (Command     *command,
                  const char  *tag,
                  GError     **error)
{
  CachetImapSession *self = command->session;
  ConnectData *connect = connect_data (self);
  const char *mechanism = cachet_sasl_mechanism_to_string (connect->mechanism);
  g_auto(CachetSecret) initial = NULL;

  if (cachet_imap_session_has_capability (self, "SASL-IR"))
    initial = cachet_sasl_get_initial_response (connect->sasl);

  if (initial != NULL)
    add_secret_part (command,
                     g_strdup_printf ("%s AUTHENTICATE %s %s\r\n", tag, mechanism, initial),
                     FALSE);
  else
    add_secret_part (command, g_strdup_printf ("%s AUTHENTICATE %s\r\n", tag, mechanism), FALSE);
  return TRUE;
}

/* An astring holding a credential, as a quoted string when it can be one and
 * a literal otherwise, built in buffers that are wiped after use. */
static gboolean
can_quote_secret (CachetImapSession *self,
                  const char        *text)
{
  gboolean eight_bit = FALSE;
  gsize length = strlen (text);

  if (length == 0 || length > 1024)
    return length == 0;
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\r' || *p == '\n')
        return FALSE;
      if ((guchar) *p >= 0x80)
        eight_bit = TRUE;
    }
  return !eight_bit || (self->utf8_enabled && g_utf8_validate (text, -1, NULL));
}

static char *
quote_secret (const char *text)
{
  gsize length = strlen (text);
  char *out = g_malloc (2 * length + 3);
  gsize n = 0;

  out[n++] = '"';
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        out[n++] = '\\';
      out[n++] = *p;
    }
  out[n++] = '"';
  out[n] = '\0';
  return out;
}

typedef struct
{
  Command *command;
  char    *line;       /* the text being built, wiped when replaced */
} SecretLine;

static void
secret_line_append (SecretLine *line,
                    const char *text)
{
  char *joined = g_strconcat (line->line, text, NULL);

  cachet_secret_free (line->line);
  line->line = joined;
}

static void
secret_line_add_astring (CachetImapSession *self,
                         SecretLine        *line,
                         const char        *text)
{
  CachetImapCommandFlags flags = _cachet_imap_session_get_command_flags (self);
  gsize length = strlen (text);
  gboolean synchronising;
  char marker[32];

  if (can_quote_secret (self, text))
    {
      char *quoted = quote_secret (text);

      secret_line_append (line, quoted);
      cachet_secret_free (quoted);
      return;
    }

  synchronising = !(flags & CACHET_IMAP_COMMAND_LITERAL_PLUS) &&
                  !((flags & CACHET_IMAP_COMMAND_LITERAL_MINUS) && length <= 4096);
  g_snprintf (marker, sizeof marker, "{%" G_GSIZE_FORMAT "%s}\r\n", length,
              synchronising ? "" : "+");
  secret_line_append (line, marker);
  add_secret_part (line->command, g_steal_pointer (&line->line), FALSE);
  add_secret_part (line->command, g_strdup (text), synchronising);
  line->line = g_strdup ("");
}

static gboolean
login_raw (Command     *command,
           const char  *tag,
           GError     **error)
{
  CachetImapSession *self = command->session;
  ConnectData *connect = connect_data (self);
  SecretLine line = { command, g_strconcat (tag, " LOGIN ", NULL) };

  secret_line_add_astring (self, &line, cachet_account_get_login (self->account));
  secret_line_append (&line, " ");
  secret_line_add_astring (self, &line, connect->password);
  secret_line_append (&line, "\r\n");
  add_secret_part (command, g_steal_pointer (&line.line), FALSE);
  return TRUE;
}

static void
send_credentials (CachetImapSession *self)
{
  ConnectData *connect = connect_data (self);
  Command *command;

  /* The connection refuses credentials in plaintext too; this is the
   * protocol's own guard. */
  if (!cachet_connection_is_secure (self->connection))
    {
      connect_fail (self, g_error_new (CACHET_NET_ERROR, CACHET_NET_ERROR_NOT_SECURE,
                                       _("Cachet refused to send your credentials to %s: the "
                                         "connection is not encrypted."),
                                       _cachet_imap_session_get_host (self)));
      return;
    }

  if (connect->method == AUTH_SASL)
    {
      g_autoptr(GError) error = NULL;
      const char *login = cachet_account_get_login (self->account);

      switch (connect->mechanism)
        {
        case CACHET_SASL_MECHANISM_PLAIN:
          connect->sasl = cachet_sasl_new_plain (NULL, login, connect->password, &error);
          break;
        case CACHET_SASL_MECHANISM_LOGIN:
          connect->sasl = cachet_sasl_new_login (login, connect->password, &error);
          break;
        case CACHET_SASL_MECHANISM_EXTERNAL:
          connect->sasl = cachet_sasl_new_external (NULL, &error);
          break;
        case CACHET_SASL_MECHANISM_XOAUTH2:
          connect->sasl = cachet_sasl_new_xoauth2 (login, self->oauth_token, &error);
          break;
        case CACHET_SASL_MECHANISM_OAUTHBEARER:
        default:
          connect->sasl =
            cachet_sasl_new_oauthbearer (login, cachet_server_address_get_host (self->address),
                                         cachet_server_address_get_port (self->address),
                                         self->oauth_token, &error);
          break;
        }
      g_clear_pointer (&connect->password, cachet_secret_free);
      if (connect->sasl == NULL)
        {
          connect_fail (self, g_steal_pointer (&error));
          return;
        }
      command = connect_command (self, "AUTHENTICATE", KIND_CAPABILITY, authenticated_done);
      command->raw = authenticate_raw;
      command->open_ended = TRUE;
      command->on_continue = sasl_continue;
    }
  else
    {
      command = connect_command (self, "LOGIN", KIND_CAPABILITY, authenticated_done);
      command->raw = login_raw;
    }
  command->untagged = capability_untagged;
  _cachet_imap_session_queue (self, command);
}

static void
on_password (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CachetImapSession) self = user_data;
  g_autoptr(GError) error = NULL;
  char *password;

  password = cachet_credentials_provider_lookup_finish (CACHET_CREDENTIALS_PROVIDER (source),
                                                        result, &error);
  if (self->connect_task == NULL)
    {
      cachet_secret_free (password);
      return;
    }
  if (error != NULL)
    {
      connect_fail (self, g_steal_pointer (&error));
      return;
    }
  if (password == NULL || *password == '\0')
    {
      cachet_secret_free (password);
      connect_fail (self, missing_password (self));
      return;
    }

  connect_data (self)->password = password;
  send_credentials (self);
}

static void
authenticate (CachetImapSession *self)
{
  ConnectData *connect = connect_data (self);
  CachetSaslCredentials available = CACHET_SASL_CREDENTIALS_PASSWORD;
  g_auto(GStrv) offered = mechanisms (self);
  g_autoptr(GError) error = NULL;

  if (self->has_client_certificate)
    available |= CACHET_SASL_CREDENTIALS_CLIENT_CERTIFICATE;
  if (self->oauth_token != NULL)
    available |= CACHET_SASL_CREDENTIALS_OAUTH_TOKEN;

  if (cachet_sasl_choose_mechanism ((const char * const *) offered, available,
                                    &connect->mechanism, &error))
    {
      connect->method = AUTH_SASL;
    }
  else if (!cachet_imap_session_has_capability (self, "LOGINDISABLED"))
    {
      connect->method = AUTH_LOGIN;
    }
  else
    {
      connect_fail (self, g_steal_pointer (&error));
      return;
    }

  if (connect->method == AUTH_LOGIN || connect->mechanism == CACHET_SASL_MECHANISM_PLAIN ||
      connect->mechanism == CACHET_SASL_MECHANISM_LOGIN)
    {
      if (self->credentials == NULL)
        {
          connect_fail (self, missing_password (self));
          return;
        }
      cachet_credentials_provider_lookup_async (self->credentials,
                                                cachet_account_get_id (self->account),
                                                CACHET_SECRET_PASSWORD,
                                                g_task_get_cancellable (self->connect_task),
                                                on_password, g_object_ref (self));
      return;
    }

  send_credentials (self);
}

/* ENABLE */

static gboolean
enabled_untagged (Command            *command,
                  CachetImapResponse *response)
{
  CachetImapSession *self = command->session;
  g_auto(GStrv) enabled = cachet_imap_response_dup_capabilities (response);

  for (gsize i = 0; enabled != NULL && enabled[i] != NULL; i++)
    {
      if (g_str_equal (enabled[i], "QRESYNC"))
        self->qresync_enabled = self->condstore_enabled = self->condstore_confirmed = TRUE;
      else if (g_str_equal (enabled[i], "CONDSTORE"))
        self->condstore_enabled = self->condstore_confirmed = TRUE;
      else if (g_str_equal (enabled[i], "UTF8=ACCEPT"))
        self->utf8_enabled = TRUE;
    }
  return TRUE;
}

static void
enable_done (Command            *command,
             CachetImapResponse *tagged,
             const GError       *error)
{
  CachetImapSession *self = command->session;

  if (!connect_alive (command))
    return;
  if (tagged == NULL)
    {
      connect_fail (self, g_error_copy (error));
      return;
    }
  /* A refused ENABLE only means plainer commands. */
  if (error != NULL)
    g_debug ("ENABLE refused; going on without extensions");
  connect_succeed (self);
}

static gboolean
enable_args (Command            *command,
             CachetImapCommand  *builder,
             GError            **error)
{
  CachetImapSession *self = command->session;
  static const char * const extensions[] = { "CONDSTORE", "QRESYNC", "UTF8=ACCEPT" };

  for (gsize i = 0; i < G_N_ELEMENTS (extensions); i++)
    {
      if (cachet_imap_session_has_capability (self, extensions[i]) &&
          !cachet_imap_command_add_atom (builder, extensions[i], error))
        return FALSE;
    }
  return TRUE;
}

static void
send_enable (CachetImapSession *self)
{
  Command *command;

  /* CONDSTORE works without ENABLE: the first command that uses it turns it
   * on (RFC 7162 §3.1). */
  self->condstore_enabled = cachet_imap_session_has_capability (self, "CONDSTORE") ||
                            cachet_imap_session_has_capability (self, "QRESYNC");

  if (!cachet_imap_session_has_capability (self, "ENABLE") ||
      (!cachet_imap_session_has_capability (self, "CONDSTORE") &&
       !cachet_imap_session_has_capability (self, "QRESYNC") &&
       !cachet_imap_session_has_capability (self, "UTF8=ACCEPT")))
    {
      connect_succeed (self);
      return;
    }

  command = connect_command (self, "ENABLE", KIND_ENABLED, enable_done);
  command->args = enable_args;
  command->untagged = enabled_untagged;
  _cachet_imap_session_queue (self, command);
}

static void
after_authentication (CachetImapSession *self)
{
  send_enable (self);
}

/* The connection */

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CachetImapSession) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cachet_connection_connect_finish (CACHET_CONNECTION (source), result, &error))
    {
      if (self->connect_task != NULL)
        connect_fail (self, g_steal_pointer (&error));
      return;
    }
  if (self->connect_task == NULL || self->fatal != NULL)
    return;

  g_debug ("Connected; waiting for the greeting");
  self->awaiting_greeting = TRUE;
  ensure_reading (self);
}

static void
start_connection (CachetImapSession *self,
                  GTlsCertificate   *certificate)
{
  if (certificate != NULL)
    {
      cachet_connection_set_client_certificate (self->connection, certificate);
      self->has_client_certificate = TRUE;
    }
  cachet_connection_connect_async (self->connection, self->io_cancellable, on_connected,
                                   g_object_ref (self));
}

static void
on_passphrase (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CachetImapSession) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_auto(CachetSecret) passphrase = NULL;

  passphrase = cachet_credentials_provider_lookup_finish (CACHET_CREDENTIALS_PROVIDER (source),
                                                          result, &error);
  if (self->connect_task == NULL)
    return;
  if (error != NULL)
    {
      connect_fail (self, g_steal_pointer (&error));
      return;
    }

  certificate = cachet_client_identity_load_pkcs12 (cachet_account_get_client_cert (self->account),
                                                    passphrase, &error);
  if (certificate == NULL)
    {
      connect_fail (self, g_steal_pointer (&error));
      return;
    }
  start_connection (self, certificate);
}

/* Public API -------------------------------------------------------------------- */

static void
cachet_imap_session_dispose (GObject *object)
{
  CachetImapSession *self = CACHET_IMAP_SESSION (object);

  /* Every operation holds a reference: nothing is pending here. */
  clear_idle_sources (self);
  if (self->connection != NULL && self->fatal == NULL)
    cachet_connection_close_async (self->connection, NULL, on_closed, NULL);
  g_cancellable_cancel (self->io_cancellable);
  g_clear_object (&self->connection);
  g_clear_object (&self->interaction);

  G_OBJECT_CLASS (cachet_imap_session_parent_class)->dispose (object);
}

static void
cachet_imap_session_finalize (GObject *object)
{
  CachetImapSession *self = CACHET_IMAP_SESSION (object);

  g_clear_object (&self->account);
  g_clear_object (&self->credentials);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->address, cachet_server_address_unref);
  g_clear_pointer (&self->oauth_token, cachet_secret_free);
  g_clear_object (&self->parser);
  g_clear_object (&self->io_cancellable);
  g_clear_error (&self->fatal);
  g_hash_table_unref (self->capabilities);
  g_strfreev (self->capability_list);
  mailbox_state_free (self->selected);
  mailbox_state_free (self->selecting);
  g_ptr_array_unref (self->before_closed);

  G_OBJECT_CLASS (cachet_imap_session_parent_class)->finalize (object);
}

static void
cachet_imap_session_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CachetImapSession *self = CACHET_IMAP_SESSION (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    case PROP_CREDENTIALS:
      g_value_set_object (value, self->credentials);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cachet_imap_session_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  CachetImapSession *self = CACHET_IMAP_SESSION (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      self->account = g_value_dup_object (value);
      break;
    case PROP_CREDENTIALS:
      self->credentials = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cachet_imap_session_class_init (CachetImapSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cachet_imap_session_dispose;
  object_class->finalize = cachet_imap_session_finalize;
  object_class->get_property = cachet_imap_session_get_property;
  object_class->set_property = cachet_imap_session_set_property;

  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL, CACHET_TYPE_ACCOUNT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CREDENTIALS] =
    g_param_spec_object ("credentials", NULL, NULL, CACHET_TYPE_CREDENTIALS_PROVIDER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, CACHET_TYPE_IMAP_SESSION_STATE,
                       CACHET_IMAP_SESSION_STATE_NOT_CONNECTED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CachetImapSession::exists:
   * @count: the new number of messages in the selected mailbox
   *
   * New messages arrived (or the count changed) in the selected mailbox.
   */
  signals[SIGNAL_EXISTS] =
    g_signal_new ("exists", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);

  /**
   * CachetImapSession::expunged:
   * @sequence: the sequence number the message had
   * @uid: its UID, or 0 if the session did not know it
   *
   * A message left the selected mailbox (EXPUNGE). With a UID of 0, the
   * synchronisation layer must find out which one (UID SEARCH ALL).
   */
  signals[SIGNAL_EXPUNGED] =
    g_signal_new ("expunged", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);

  /**
   * CachetImapSession::flags-changed:
   * @uid: the message's UID, or 0 if not known
   * @sequence: its sequence number
   * @flags: (array zero-terminated=1): all of its flags now
   * @modseq: its new mod-sequence, 0 without CONDSTORE
   *
   * Another client changed the flags of a message of the selected mailbox.
   */
  signals[SIGNAL_FLAGS_CHANGED] =
    g_signal_new ("flags-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 4, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_STRV, G_TYPE_UINT64);

  /**
   * CachetImapSession::vanished:
   * @uids: (element-type CachetImapRange): the UIDs of the messages expunged
   *
   * Messages left the selected mailbox (QRESYNC's VANISHED).
   */
  signals[SIGNAL_VANISHED] =
    g_signal_new ("vanished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ARRAY);

  /**
   * CachetImapSession::alert:
   * @text: the server's text, printable and bounded, but still the server's
   *
   * The server sent an [ALERT], which RFC 9051 says the user must see. Only
   * alerts received over TLS are emitted.
   */
  signals[SIGNAL_ALERT] =
    g_signal_new ("alert", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * CachetImapSession::closed:
   * @error: why the session ended
   *
   * The session ended: logout, error, BYE or cachet_imap_session_close().
   */
  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
cachet_imap_session_init (CachetImapSession *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->timeout_ms = CACHET_CONNECTION_DEFAULT_TIMEOUT_MS;
  self->idle_refresh_s = CACHET_IMAP_SESSION_DEFAULT_IDLE_REFRESH_SECONDS;
  choose_tag_prefix (self);
  cachet_imap_parser_limits_init (&self->limits);
  self->io_cancellable = g_cancellable_new ();
  self->capabilities = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&self->queued);
  g_queue_init (&self->in_flight);
  self->before_closed =
    g_ptr_array_new_with_free_func ((GDestroyNotify) cachet_imap_response_unref);
}

/**
 * cachet_imap_session_new:
 * @account: the account to connect
 * @credentials: (nullable): where its password and certificate passphrase
 *   are, by account id
 *
 * Returns: (transfer full): a session, not connected yet
 */
CachetImapSession *
cachet_imap_session_new (CachetAccount             *account,
                         CachetCredentialsProvider *credentials)
{
  g_return_val_if_fail (CACHET_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (credentials == NULL || CACHET_IS_CREDENTIALS_PROVIDER (credentials), NULL);

  return g_object_new (CACHET_TYPE_IMAP_SESSION,
                       "account", account,
                       "credentials", credentials,
                       NULL);
}

/**
 * cachet_imap_session_get_account:
 *
 * Returns: (transfer none): the account
 */
CachetAccount *
cachet_imap_session_get_account (CachetImapSession *self)
{
  g_return_val_if_fail (CACHET_IS_IMAP_SESSION (self), NULL);

  return self->account;
}

/**
 * cachet_imap_session_set_timeout:
 * @timeout_ms: how long the server may stay silent while the session waits
 *   for it (default %CACHET_CONNECTION_DEFAULT_TIMEOUT_MS); set it before
 *   connecting
 */
void
cachet_imap_session_set_timeout (CachetImapSession *self,
                                 guint              timeout_ms)
{
  g_return_if_fail (CACHET_IS_IMAP_SESSION (self));
  g_return_if_fail (timeout_ms > 0);

  self->timeout_ms = timeout_ms;
  if (self->connection != NULL)
    cachet_connection_set_timeout (self->connection, timeout_ms);
}

/**
 * cachet_imap_session_set_idle_refresh:
 * @seconds: how long each IDLE command lasts before it is renewed; at most
 *   %CACHET_IMAP_SESSION_DEFAULT_IDLE_REFRESH_SECONDS, the default
 */
void
cachet_imap_session_set_idle_refresh (CachetImapSession *self,
                                      guint              seconds)
{
  g_return_if_fail (CACHET_IS_IMAP_SESSION (self));
  g_return_if_fail (seconds > 0 && seconds <= CACHET_IMAP_SESSION_DEFAULT_IDLE_REFRESH_SECONDS);

  self->idle_refresh_s = seconds;
}

/**
 * cachet_imap_session_set_limits:
 * @limits: the bounds on what the server can make the session hold; the
 *   longest line also bounds what the connection reads at once
 *
 * Set it before connecting.
 */
void
cachet_imap_session_set_limits (CachetImapSession            *self,
                                const CachetImapParserLimits *limits)
{
  g_return_if_fail (CACHET_IS_IMAP_SESSION (self));
  g_return_if_fail (limits != NULL);
  g_return_if_fail (self->connection == NULL);

  self->limits = *limits;
}

/**
 * cachet_imap_session_set_fetch_batch_size:
 * @n_messages: how many messages one UID FETCH command asks for, or 0 for
 *   the defaults (100 with bodies, 1000 without)
 */
void
cachet_imap_session_set_fetch_batch_size (CachetImapSession *self,
                                          guint              n_messages)
{
  g_return_if_fail (CACHET_IS_IMAP_SESSION (self));

  self->batch_size = n_messages;
}

/**
 * cachet_imap_session_set_oauth_token:
 * @access_token: (nullable): an OAuth access token (Pro Santé Connect), which
 *   makes XOAUTH2 and OAUTHBEARER usable; kept in memory only
 */
void
cachet_imap_session_set_oauth_token (CachetImapSession *self,
                                     const char        *access_token)
{
  g_return_if_fail (CACHET_IS_IMAP_SESSION (self));

  g_clear_pointer (&self->oauth_token, cachet_secret_free);
  self->oauth_token = g_strdup (access_token);
}

/**
 * cachet_imap_session_set_interaction:
 * @interaction: (nullable): how to ask for a smart card's PIN during the
 *   TLS handshake
 */
void
cachet_imap_session_set_interaction (CachetImapSession *self,
                                     GTlsInteraction   *interaction)
{
  g_return_if_fail (CACHET_IS_IMAP_SESSION (self));
  g_return_if_fail (interaction == NULL || G_IS_TLS_INTERACTION (interaction));

  g_set_object (&self->interaction, interaction);
}

CachetImapSessionState
cachet_imap_session_get_state (CachetImapSession *self)
{
  g_return_val_if_fail (CACHET_IS_IMAP_SESSION (self), CACHET_IMAP_SESSION_STATE_NOT_CONNECTED);

  return self->state;
}

/**
 * cachet_imap_session_has_capability:
 * @capability: such as "MOVE" or "AUTH=PLAIN", in upper case
 *
 * Returns: whether the server offers @capability; only capabilities received
 *   over TLS are known
 */
gboolean
cachet_imap_session_has_capability (CachetImapSession *self,
                                    const char        *capability)
{
  g_return_val_if_fail (CACHET_IS_IMAP_SESSION (self), FALSE);
  g_return_val_if_fail (capability != NULL, FALSE);

  return g_hash_table_contains (self->capabilities, capability);
}

/**
 * cachet_imap_session_dup_capabilities:
 *
 * Returns: (transfer full): the server's capabilities, in upper case
 */
char **
cachet_imap_session_dup_capabilities (CachetImapSession *self)
{
  g_return_val_if_fail (CACHET_IS_IMAP_SESSION (self), NULL);

  return self->capability_list != NULL ? g_strdupv (self->capability_list) : g_new0 (char *, 1);
}

/**
 * cachet_imap_session_is_enabled:
 * @extension: "CONDSTORE", "QRESYNC" or "UTF8=ACCEPT"
 *
 * Returns: whether the session uses @extension (CONDSTORE counts as enabled
 *   whenever the server offers it, since using it enables it)
 */
gboolean
cachet_imap_session_is_enabled (CachetImapSession *self,
                                const char        *extension)
{
  g_return_val_if_fail (CACHET_IS_IMAP_SESSION (self), FALSE);
  g_return_val_if_fail (extension != NULL, FALSE);

  if (g_ascii_strcasecmp (extension, "CONDSTORE") == 0)
    return self->condstore_enabled;
  if (g_ascii_strcasecmp (extension, "QRESYNC") == 0)
    return self->qresync_enabled;
  if (g_ascii_strcasecmp (extension, "UTF8=ACCEPT") == 0)
    return self->utf8_enabled;
  return FALSE;
}

/**
 * cachet_imap_session_is_secure:
 *
 * Returns: whether the connection is TLS-protected
 */
gboolean
cachet_imap_session_is_secure (CachetImapSession *self)
{
  g_return_val_if_fail (CACHET_IS_IMAP_SESSION (self), FALSE);

  return self->connection != NULL && cachet_connection_is_secure (self->connection);
}

/**
 * cachet_imap_session_get_selected_mailbox:
 *
 * Returns: (nullable): the name of the selected mailbox, in UTF-8
 */
const char *
cachet_imap_session_get_selected_mailbox (CachetImapSession *self)
{
  g_return_val_if_fail (CACHET_IS_IMAP_SESSION (self), NULL);

  return self->selected != NULL ? self->selected->name : NULL;
}

gboolean
cachet_imap_session_is_read_only (CachetImapSession *self)
{
  g_return_val_if_fail (CACHET_IS_IMAP_SESSION (self), TRUE);

  return self->selected == NULL || self->selected->read_only;
}

guint32
cachet_imap_session_get_uidvalidity (CachetImapSession *self)
{
  g_return_val_if_fail (CACHET_IS_IMAP_SESSION (self), 0);

  return self->selected != NULL ? self->selected->uidvalidity : 0;
}

guint32
cachet_imap_session_get_uidnext (CachetImapSession *self)
{
  g_return_val_if_fail (CACHET_IS_IMAP_SESSION (self), 0);

  return self->selected != NULL ? self->selected->uidnext : 0;
}

/**
 * cachet_imap_session_get_exists:
 *
 * Returns: how many messages the selected mailbox holds, as the server last
 *   said
 */
guint32
cachet_imap_session_get_exists (CachetImapSession *self)
{
  g_return_val_if_fail (CACHET_IS_IMAP_SESSION (self), 0);

  return self->selected != NULL ? cachet_imap_mailbox_map_get_count (self->selected->map) : 0;
}

/**
 * cachet_imap_session_get_highest_modseq:
 *
 * Returns: the HIGHESTMODSEQ of the selected mailbox, from SELECT and from
 *   later [HIGHESTMODSEQ] codes; with QRESYNC, raised by the MODSEQ of each
 *   change the server reports (RFC 7162 §3.2.10 lets a client rely on that).
 *   0 without CONDSTORE or with [NOMODSEQ].
 */
guint64
cachet_imap_session_get_highest_modseq (CachetImapSession *self)
{
  g_return_val_if_fail (CACHET_IS_IMAP_SESSION (self), 0);

  return self->selected != NULL ? self->selected->highest_modseq : 0;
}

/**
 * cachet_imap_session_get_permanent_flags:
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1): the
 *   PERMANENTFLAGS of the selected mailbox
 */
const char * const *
cachet_imap_session_get_permanent_flags (CachetImapSession *self)
{
  g_return_val_if_fail (CACHET_IS_IMAP_SESSION (self), NULL);

  return self->selected != NULL ? (const char * const *) self->selected->permanent_flags : NULL;
}

/**
 * cachet_imap_session_lookup_uid:
 * @sequence: a message sequence number of the selected mailbox
 *
 * Returns: its UID, or 0 if the session has not learnt it (UIDs are learnt
 *   from every FETCH that carries one)
 */
guint32
cachet_imap_session_lookup_uid (CachetImapSession *self,
                                guint32            sequence)
{
  g_return_val_if_fail (CACHET_IS_IMAP_SESSION (self), 0);

  return self->selected != NULL ? cachet_imap_mailbox_map_get_uid (self->selected->map, sequence)
                                : 0;
}

/**
 * cachet_imap_session_result_get_code:
 * @result: the result of one of the session's operations, once finished
 *
 * Gets the response code of the server's last tagged answer in the
 * operation, such as %CACHET_IMAP_RESPONSE_CODE_TRYCREATE on a failed APPEND
 * or COPY (create the mailbox, then try again) or
 * %CACHET_IMAP_RESPONSE_CODE_AUTHENTICATIONFAILED.
 *
 * Returns: the code, or %CACHET_IMAP_RESPONSE_CODE_NONE
 */
CachetImapResponseCode
cachet_imap_session_result_get_code (GAsyncResult *result)
{
  g_return_val_if_fail (G_IS_TASK (result), CACHET_IMAP_RESPONSE_CODE_NONE);

  return GPOINTER_TO_INT (g_object_get_qdata (G_OBJECT (result), response_code_quark ()));
}

/**
 * cachet_imap_session_connect_async:
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once the session is signed in, or on failure
 * @user_data: data for @callback
 *
 * Connects to the account's IMAP server, upgrades with STARTTLS for an
 * `imap://` address, signs in over TLS (SASL EXTERNAL with the account's
 * client certificate, XOAUTH2 or OAUTHBEARER with a token given by
 * cachet_imap_session_set_oauth_token(), else PLAIN, LOGIN or the LOGIN
 * command with the password the credentials provider has for the account),
 * then enables CONDSTORE, QRESYNC and UTF8=ACCEPT when offered.
 */
void
cachet_imap_session_connect_async (CachetImapSession   *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CachetTrust) trust = NULL;
  const char *ca_file;
  const char *client_cert;
  GTask *task;
  Op *op;

  g_return_if_fail (CACHET_IS_IMAP_SESSION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (!self->used);

  self->used = TRUE;
  task = _cachet_imap_op_new (self, cancellable, callback, user_data,
                              cachet_imap_session_connect_async,
                              g_new0 (ConnectData, 1), connect_data_free);
  op = g_task_get_task_data (task);
  op->on_cancel = connect_cancel;
  self->connect_task = task;
  set_state (self, CACHET_IMAP_SESSION_STATE_CONNECTING);

  self->address = cachet_server_address_parse (cachet_account_get_imap_url (self->account), &error);
  if (self->address == NULL)
    {
      connect_fail (self, g_steal_pointer (&error));
      return;
    }
  ca_file = cachet_account_get_ca_file (self->account);
  trust = ca_file != NULL ? cachet_trust_new_for_ca_file (ca_file, &error)
                          : cachet_trust_new_system (&error);
  if (trust == NULL)
    {
      connect_fail (self, g_steal_pointer (&error));
      return;
    }

  self->parser = cachet_imap_parser_new (&self->limits);
  self->connection = cachet_connection_new (self->address, trust);
  cachet_connection_set_timeout (self->connection, self->timeout_ms);
  cachet_connection_set_max_line_length (self->connection,
                                         MIN (self->limits.max_line_length, G_MAXUINT32 / 2 - 1));
  if (self->interaction != NULL)
    cachet_connection_set_interaction (self->connection, self->interaction);

  client_cert = cachet_account_get_client_cert (self->account);
  if (client_cert == NULL || *client_cert == '\0')
    {
      start_connection (self, NULL);
    }
  else if (g_str_has_prefix (client_cert, "pkcs11:"))
    {
      g_autoptr(GTlsCertificate) certificate = NULL;

      certificate = cachet_client_identity_load_pkcs11 (client_cert, NULL, &error);

      if (certificate == NULL)
        {
          connect_fail (self, g_steal_pointer (&error));
          return;
        }
      start_connection (self, certificate);
    }
  else if (self->credentials != NULL)
    {
      cachet_credentials_provider_lookup_async (self->credentials,
                                                cachet_account_get_id (self->account),
                                                CACHET_SECRET_CERTIFICATE_PASSPHRASE,
                                                cancellable, on_passphrase, g_object_ref (self));
    }
  else
    {
      g_autoptr(GTlsCertificate) certificate = cachet_client_identity_load_pkcs12 (client_cert,
                                                                                   NULL, &error);

      if (certificate == NULL)
        {
          connect_fail (self, g_steal_pointer (&error));
          return;
        }
      start_connection (self, certificate);
    }
}

/**
 * cachet_imap_session_connect_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE once signed in; otherwise %FALSE with a %G_IO_ERROR or
 *   %G_TLS_ERROR (unreachable, timed out), a %CACHET_NET_ERROR (certificate,
 *   %CACHET_NET_ERROR_STARTTLS_REFUSED, no usable sign-in method) or a
 *   %CACHET_IMAP_ERROR (%CACHET_IMAP_ERROR_UNAUTHENTICATED for a refused or
 *   missing password, %CACHET_IMAP_ERROR_BYE…)
 */
gboolean
cachet_imap_session_connect_finish (CachetImapSession  *self,
                                    GAsyncResult       *result,
                                    GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cachet_imap_session_connect_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* NOOP */

static void
simple_done (Command            *command,
             CachetImapResponse *tagged,
             const GError       *error)
{
  if (_cachet_imap_op_is_completed (command->task))
    return;
  _cachet_imap_op_set_code (command->task, tagged);
  if (error != NULL)
    _cachet_imap_op_return_error (command->task, g_error_copy (error));
  else
    _cachet_imap_op_return_boolean (command->task, TRUE);
}

/**
 * cachet_imap_session_noop_async:
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the server answered
 * @user_data: data for @callback
 *
 * Sends NOOP, which lets the server report changes to the selected mailbox
 * (as signals): the way to poll when the server has no IDLE.
 */
void
cachet_imap_session_noop_async (CachetImapSession   *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  Command *command;

  g_return_if_fail (CACHET_IS_IMAP_SESSION (self));

  task = _cachet_imap_op_new (self, cancellable, callback, user_data,
                              cachet_imap_session_noop_async, NULL, NULL);
  if (!_cachet_imap_op_check_ready (task))
    return;
  command = _cachet_imap_command_new (self, task, "NOOP", KIND_NONE);
  command->done = simple_done;
  _cachet_imap_session_queue (self, command);
}

gboolean
cachet_imap_session_noop_finish (CachetImapSession  *self,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cachet_imap_session_noop_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* LOGOUT */

static void
logout_done (Command            *command,
             CachetImapResponse *tagged,
             const GError       *error)
{
  CachetImapSession *self = command->session;
  gboolean success = tagged != NULL || self->bye_received;

  _cachet_imap_op_set_code (command->task, tagged);
  if (self->fatal == NULL)
    _cachet_imap_session_fail (self, g_error_new (CACHET_IMAP_ERROR,
                                                  CACHET_IMAP_ERROR_NOT_CONNECTED,
                                                  _("Cachet logged out from %s."),
                                                  _cachet_imap_session_get_host (self)));
  if (success)
    _cachet_imap_op_return_boolean (command->task, TRUE);
  else
    _cachet_imap_op_return_error (command->task, g_error_copy (error));
}

/**
 * cachet_imap_session_logout_async:
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once the session ended
 * @user_data: data for @callback
 *
 * Ends the session politely (LOGOUT) after the commands already queued, and
 * closes the connection. A session that already ended succeeds at once.
 */
void
cachet_imap_session_logout_async (CachetImapSession   *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;
  Command *command;

  g_return_if_fail (CACHET_IS_IMAP_SESSION (self));

  task = _cachet_imap_op_new (self, cancellable, callback, user_data,
                              cachet_imap_session_logout_async, NULL, NULL);
  if (self->state == CACHET_IMAP_SESSION_STATE_NOT_CONNECTED)
    {
      _cachet_imap_op_return_boolean (task, TRUE);
      return;
    }
  if (!_cachet_imap_op_check_ready (task))
    return;

  set_state (self, CACHET_IMAP_SESSION_STATE_LOGGING_OUT);
  self->bye_expected = TRUE;
  command = _cachet_imap_command_new (self, task, "LOGOUT", KIND_NONE);
  command->barrier = TRUE;
  command->done = logout_done;
  _cachet_imap_session_queue (self, command);
}

gboolean
cachet_imap_session_logout_finish (CachetImapSession  *self,
                                   GAsyncResult       *result,
                                   GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cachet_imap_session_logout_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * cachet_imap_session_close:
 *
 * Ends the session at once, without LOGOUT: pending operations fail with
 * %CACHET_IMAP_ERROR_NOT_CONNECTED and the connection is closed.
 */
void
cachet_imap_session_close (CachetImapSession *self)
{
  g_return_if_fail (CACHET_IS_IMAP_SESSION (self));

  if (self->fatal != NULL)
    return;
  if (!self->used)
    {
      self->used = TRUE;
      self->fatal = not_connected_error (self);
      return;
    }
  _cachet_imap_session_fail (self, g_error_new (CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_NOT_CONNECTED,
                                                _("The connection to %s was closed."),
                                                _cachet_imap_session_get_host (self)));
}

/* IDLE */

static void idle_queue_command (CachetImapSession *self,
                                GTask             *task);

static gboolean
on_done_timeout (gpointer user_data)
{
  CachetImapSession *self = user_data;
  guint seconds = (self->timeout_ms + 999) / 1000;
  GError *error;

  g_clear_pointer (&self->done_timeout_source, g_source_unref);
  error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "The server %s did not answer within %u second.",
                                    "The server %s did not answer within %u seconds.",
                                    seconds),
                       _cachet_imap_session_get_host (self), seconds);
  _cachet_imap_session_fail (self, error);
  return G_SOURCE_REMOVE;
}

static void
idle_send_done (CachetImapSession *self)
{
  g_autoptr(GBytes) done = NULL;

  if (self->idle_command == NULL || self->idle_done_sent)
    return;

  self->idle_done_sent = TRUE;
  clear_idle_sources (self);
  done = g_bytes_new_static ("DONE\r\n", 6);
  _cachet_imap_command_add_part (self->idle_command, done, FALSE, CACHET_WRITE_NONE);
  self->done_timeout_source = g_timeout_source_new (self->timeout_ms);
  g_source_set_callback (self->done_timeout_source, on_done_timeout, self, NULL);
  g_source_attach (self->done_timeout_source, self->context);
  pump_writer (self);
}

static gboolean
on_idle_refresh (gpointer user_data)
{
  CachetImapSession *self = user_data;

  g_clear_pointer (&self->idle_refresh_source, g_source_unref);
  g_debug ("Renewing IDLE");
  idle_send_done (self);
  return G_SOURCE_REMOVE;
}

static void
idle_continue (Command            *command,
               CachetImapResponse *response)
{
  CachetImapSession *self = command->session;

  if (command != self->idle_command || self->idle_established)
    {
      _cachet_imap_session_fail (self, protocol_error (self, "continuation request out of place"));
      return;
    }

  self->idle_established = TRUE;
  if (self->idle_done_wanted || _cachet_imap_op_is_completed (command->task))
    {
      idle_send_done (self);
      return;
    }
  self->idle_refresh_source = g_timeout_source_new_seconds (self->idle_refresh_s);
  g_source_set_callback (self->idle_refresh_source, on_idle_refresh, self, NULL);
  g_source_attach (self->idle_refresh_source, self->context);
}

static void
idle_command_done (Command            *command,
                   CachetImapResponse *tagged,
                   const GError       *error)
{
  CachetImapSession *self = command->session;
  gboolean renew = tagged != NULL && error == NULL && !self->idle_woken &&
                   !self->idle_done_wanted && !_cachet_imap_op_is_completed (command->task);

  if (self->idle_command == command)
    {
      clear_idle_sources (self);
      self->idle_command = NULL;
      self->idle_established = FALSE;
      self->idle_done_sent = FALSE;
      self->idle_done_wanted = FALSE;
      self->idle_woken = FALSE;
    }

  if (renew)
    {
      idle_queue_command (self, command->task);
      return;
    }
  simple_done (command, tagged, error);
}

static void
idle_cancel (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  CachetImapSession *self = op->session;

  _cachet_imap_op_return_error (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                           _("The operation was cancelled.")));
  /* The IDLE command itself ends normally, in the background. */
  cachet_imap_session_idle_done (self);
}

static void
idle_queue_command (CachetImapSession *self,
                    GTask             *task)
{
  Command *command = _cachet_imap_command_new (self, task, "IDLE", KIND_NONE);

  command->barrier = TRUE;
  command->open_ended = TRUE;
  command->on_continue = idle_continue;
  command->done = idle_command_done;
  self->idle_command = command;
  _cachet_imap_session_queue (self, command);
}

/**
 * cachet_imap_session_idle_async:
 * @cancellable: (nullable): a #GCancellable; cancelling ends IDLE with DONE
 * @callback: called once IDLE ended
 * @user_data: data for @callback
 *
 * Waits in IDLE (RFC 2177) for the server to report a change to the
 * selected mailbox. The changes are emitted as signals; then the session
 * sends DONE and the operation completes. It also completes after
 * cachet_imap_session_idle_done(), or when another operation is started
 * (which IDLE would hold up). IDLE is renewed every 29 minutes, or as set
 * with cachet_imap_session_set_idle_refresh(), without completing.
 *
 * Fails with %CACHET_IMAP_ERROR_NOT_SUPPORTED if the server has no IDLE: the
 * caller then polls with cachet_imap_session_noop_async().
 */
void
cachet_imap_session_idle_async (CachetImapSession   *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  Op *op;

  g_return_if_fail (CACHET_IS_IMAP_SESSION (self));

  task = _cachet_imap_op_new (self, cancellable, callback, user_data,
                              cachet_imap_session_idle_async, NULL, NULL);
  op = g_task_get_task_data (task);
  op->on_cancel = idle_cancel;
  if (!_cachet_imap_op_check_ready (task))
    return;
  if (!cachet_imap_session_has_capability (self, "IDLE"))
    {
      _cachet_imap_op_return_error (task, _cachet_imap_session_not_supported (self, "IDLE"));
      return;
    }
  if (self->idle_command != NULL)
    {
      _cachet_imap_op_return_error (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_PENDING,
                                                               "IDLE is already running"));
      return;
    }

  idle_queue_command (self, task);
}

gboolean
cachet_imap_session_idle_finish (CachetImapSession  *self,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cachet_imap_session_idle_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * cachet_imap_session_idle_done:
 *
 * Ends a running IDLE (sends DONE as soon as the server accepted IDLE); the
 * IDLE operation then completes successfully. Does nothing without IDLE.
 */
void
cachet_imap_session_idle_done (CachetImapSession *self)
{
  g_return_if_fail (CACHET_IS_IMAP_SESSION (self));

  if (self->idle_command == NULL)
    return;

  self->idle_done_wanted = TRUE;
  if (self->idle_established)
    idle_send_done (self);
  else if (!self->idle_command->started && g_queue_remove (&self->queued, self->idle_command))
    {
      Command *command = g_steal_pointer (&self->idle_command);

      /* Never sent: it ends here, successfully. */
      self->idle_done_wanted = FALSE;
      command->finished = TRUE;
      simple_done (command, NULL, NULL);
      command_free (command);
    }
}
