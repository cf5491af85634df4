/* cachet-connection.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cachet-connection.h"
#include "cachet-net-error.h"
#include "cachet-tls-interaction.h"

/**
 * CachetConnection:
 *
 * A byte stream to an IMAP or SMTP server that is always TLS-verified before
 * it can carry credentials, with the bounds a hostile server cannot push
 * past: a deadline on every operation and a maximum line length.
 *
 * With an implicit-TLS address, cachet_connection_connect_async() completes
 * the handshake. With a STARTTLS address it leaves a plaintext stream on
 * which the protocol layer reads the greeting, sends its STARTTLS command,
 * reads the server's go-ahead and then calls
 * cachet_connection_start_tls_async(); if the server refuses, the protocol
 * closes the connection with %CACHET_NET_ERROR_STARTTLS_REFUSED. There is no
 * plaintext mode to fall back to.
 *
 * The protocol layers must not authenticate until cachet_connection_is_secure()
 * is %TRUE, and send every credential with %CACHET_WRITE_CREDENTIALS so that
 * this is checked here too: a write so flagged on a plaintext stream fails
 * before a byte leaves.
 *
 * A connection is used once: connect, talk, close. One read and one write may
 * be pending at a time (a read may run while a write does, as IMAP IDLE
 * needs). After any error other than from a write flagged as credentials,
 * close it: a timed-out or cancelled read leaves the protocol state unknown.
 */
struct _CachetConnection
{
  GObject parent_instance;

  CachetServerAddress *address;
  CachetTrust *trust;
  GTlsCertificate *client_certificate;
  GTlsInteraction *interaction;
  CachetTlsInteraction *tls_interaction;
  guint timeout_ms;
  gsize max_line_length;
  GSocketConnectable *identity;   /* where to connect, and the name the certificate must bear */

  gboolean started;
  gboolean reading;
  gboolean writing;
  GIOStream *base;                /* the TCP connection */
  GTlsConnection *tls;            /* set once a handshake has verified the server */
  GByteArray *input;              /* received and not yet returned; never past one line + one chunk */
  GTlsCertificate *peer_certificate;
  GTlsCertificateFlags peer_certificate_errors;
  gboolean received_over_tls;
};

G_DEFINE_FINAL_TYPE (CachetConnection, cachet_connection, G_TYPE_OBJECT)

/* Every operation runs under a deadline: a timer on the caller's main context
 * cancels what GIO is doing, and the error becomes G_IO_ERROR_TIMED_OUT. The
 * timer covers the whole operation (name resolution, connection and handshake;
 * all the reads a line takes), so a server trickling one byte at a time
 * cannot stretch it. Bulk transfers (read_bytes, write) are the exception: a
 * large message on a slow line may take minutes, so each chunk that moves
 * starts the timer afresh, and only a stall fails them. */
typedef struct
{
  GCancellable *cancellable;      /* given to GIO; cancelled by the caller or the timer */
  GCancellable *caller;
  gulong caller_handler;
  GSource *timer;
  guint timeout_ms;
  gboolean timed_out;
} Deadline;

typedef enum
{
  OPERATION_CONNECT,
  OPERATION_START_TLS,
  OPERATION_READ_LINE,
  OPERATION_READ_BYTES,
  OPERATION_WRITE,
  OPERATION_CLOSE,
} OperationKind;

typedef struct
{
  OperationKind kind;
  Deadline deadline;
  GTlsConnection *tls;            /* handshakes: the connection being negotiated */
  GBytes *bytes;                  /* write: what to send */
  guint8 *buffer;                 /* read_bytes: the result being filled */
  gsize count;                    /* read_bytes: its size; read_line: the line's length */
  gsize filled;                   /* read_bytes: received so far; write: sent so far */
  gsize scanned;                  /* read_line: input already searched for a line break */
  guint8 chunk[4096];             /* read_line */
} Operation;

static void
on_caller_cancelled (GCancellable *caller,
                     gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static gboolean
on_deadline (gpointer user_data)
{
  Deadline *deadline = user_data;

  deadline->timed_out = TRUE;
  g_clear_pointer (&deadline->timer, g_source_unref);
  g_cancellable_cancel (deadline->cancellable);

  return G_SOURCE_REMOVE;
}

static void
deadline_arm (Deadline *deadline,
              GTask    *task)
{
  if (deadline->timer != NULL)
    {
      g_source_destroy (deadline->timer);
      g_source_unref (deadline->timer);
    }
  deadline->timer = g_timeout_source_new (deadline->timeout_ms);
  g_source_set_callback (deadline->timer, on_deadline, deadline, NULL);
  g_source_attach (deadline->timer, g_task_get_context (task));
}

static void
deadline_start (Deadline     *deadline,
                GTask        *task,
                guint         timeout_ms)
{
  GCancellable *caller = g_task_get_cancellable (task);

  deadline->cancellable = g_cancellable_new ();
  deadline->timeout_ms = timeout_ms;
  if (caller != NULL)
    {
      deadline->caller = g_object_ref (caller);
      deadline->caller_handler = g_cancellable_connect (caller, G_CALLBACK (on_caller_cancelled),
                                                        g_object_ref (deadline->cancellable),
                                                        g_object_unref);
    }
  deadline_arm (deadline, task);
}

static void
deadline_stop (Deadline *deadline)
{
  if (deadline->timer != NULL)
    {
      g_source_destroy (deadline->timer);
      g_clear_pointer (&deadline->timer, g_source_unref);
    }
  if (deadline->caller != NULL)
    {
      g_cancellable_disconnect (deadline->caller, deadline->caller_handler);
      g_clear_object (&deadline->caller);
    }
  g_clear_object (&deadline->cancellable);
}

static void
operation_free (gpointer data)
{
  Operation *op = data;

  deadline_stop (&op->deadline);
  g_clear_object (&op->tls);
  g_clear_pointer (&op->bytes, g_bytes_unref);
  g_clear_pointer (&op->buffer, g_free);
  g_free (op);
}

static GTask *
operation_new (CachetConnection    *self,
               OperationKind        kind,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data,
               gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Operation *op = g_new0 (Operation, 1);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, operation_free);
  op->kind = kind;
  deadline_start (&op->deadline, task, self->timeout_ms);

  if (kind == OPERATION_READ_LINE || kind == OPERATION_READ_BYTES)
    self->reading = TRUE;
  else if (kind == OPERATION_WRITE)
    self->writing = TRUE;

  return task;
}

/* Ends what operation_new() started, before the task returns: its callback
 * may well start the next read. */
static void
operation_end (GTask *task)
{
  CachetConnection *self = g_task_get_source_object (task);
  Operation *op = g_task_get_task_data (task);

  deadline_stop (&op->deadline);
  if (op->kind == OPERATION_READ_LINE || op->kind == OPERATION_READ_BYTES)
    self->reading = FALSE;
  else if (op->kind == OPERATION_WRITE)
    self->writing = FALSE;
}

/* With TLS 1.3, a server that requires a client certificate can only say so
 * once our side of the handshake is over: with an alert, or by closing the
 * connection before sending anything. Like glib-networking, take such an end
 * for that refusal when the server had asked for a certificate we did not
 * have; glib-networking 2.74 makes the guess for some of these ends only. */
static gboolean
is_missing_certificate (CachetConnection *self,
                        const GError     *error)
{
  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_CERTIFICATE_REQUIRED))
    return TRUE;

  return self->tls_interaction != NULL &&
         cachet_tls_interaction_get_certificate_requested (self->tls_interaction) &&
         !self->received_over_tls &&
         (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_EOF) ||
          g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_NOT_TLS) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE));
}

/* Takes ownership of @task and @error. */
static void
operation_return_error (GTask  *task,
                        GError *error)
{
  CachetConnection *self = g_task_get_source_object (task);
  Operation *op = g_task_get_task_data (task);
  gboolean timed_out = op->deadline.timed_out;
  guint seconds = (op->deadline.timeout_ms + 999) / 1000;

  operation_end (task);
  if (timed_out)
    {
      g_clear_error (&error);
      error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                           g_dngettext (GETTEXT_PACKAGE,
                                        "The server %s did not answer within %u second.",
                                        "The server %s did not answer within %u seconds.",
                                        seconds),
                           cachet_server_address_get_host (self->address), seconds);
    }
  else if (is_missing_certificate (self, error))
    {
      g_clear_error (&error);
      error = g_error_new (G_TLS_ERROR, G_TLS_ERROR_CERTIFICATE_REQUIRED,
                           _("The server %s requires a client certificate. Add the certificate "
                             "your operator gave you to the account."),
                           cachet_server_address_get_host (self->address));
    }

  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
operation_return_closed (GTask *task)
{
  CachetConnection *self = g_task_get_source_object (task);

  operation_return_error (task, g_error_new (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                                             _("The server %s closed the connection."),
                                             cachet_server_address_get_host (self->address)));
}

/* Takes ownership of @task. */
static void
operation_return_success (GTask *task)
{
  operation_end (task);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
cachet_connection_dispose (GObject *object)
{
  CachetConnection *self = CACHET_CONNECTION (object);

  g_clear_object (&self->tls);
  g_clear_object (&self->base);
  g_clear_object (&self->peer_certificate);
  g_clear_object (&self->interaction);
  g_clear_object (&self->tls_interaction);
  g_clear_object (&self->client_certificate);

  G_OBJECT_CLASS (cachet_connection_parent_class)->dispose (object);
}

static void
cachet_connection_finalize (GObject *object)
{
  CachetConnection *self = CACHET_CONNECTION (object);

  g_clear_pointer (&self->address, cachet_server_address_unref);
  g_clear_object (&self->trust);
  g_clear_object (&self->identity);
  g_clear_pointer (&self->input, g_byte_array_unref);

  G_OBJECT_CLASS (cachet_connection_parent_class)->finalize (object);
}

static void
cachet_connection_class_init (CachetConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cachet_connection_dispose;
  object_class->finalize = cachet_connection_finalize;
}

static void
cachet_connection_init (CachetConnection *self)
{
  self->timeout_ms = CACHET_CONNECTION_DEFAULT_TIMEOUT_MS;
  self->max_line_length = CACHET_CONNECTION_DEFAULT_MAX_LINE_LENGTH;
  self->input = g_byte_array_new ();
}

/**
 * cachet_connection_new:
 * @address: the server
 * @trust: how to verify the server's certificate
 *
 * Returns: (transfer full): a connection, not yet connected
 */
CachetConnection *
cachet_connection_new (CachetServerAddress *address,
                       CachetTrust         *trust)
{
  CachetConnection *self;

  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (CACHET_IS_TRUST (trust), NULL);

  self = g_object_new (CACHET_TYPE_CONNECTION, NULL);
  self->address = cachet_server_address_ref (address);
  self->trust = g_object_ref (trust);
  self->identity = g_network_address_new (cachet_server_address_get_host (address),
                                          cachet_server_address_get_port (address));

  return self;
}

/**
 * cachet_connection_set_client_certificate:
 * @certificate: (nullable): a certificate with its private key, from
 *   cachet_client_identity_load_pkcs12() or cachet_client_identity_load_pkcs11()
 *
 * The identity to present if the server asks for one during the handshake.
 * Set it before connecting.
 */
void
cachet_connection_set_client_certificate (CachetConnection *self,
                                          GTlsCertificate  *certificate)
{
  g_return_if_fail (CACHET_IS_CONNECTION (self));
  g_return_if_fail (certificate == NULL || G_IS_TLS_CERTIFICATE (certificate));
  g_return_if_fail (!self->started);

  g_set_object (&self->client_certificate, certificate);
}

/**
 * cachet_connection_set_interaction:
 * @interaction: (nullable): how to ask the user for a smart card's PIN
 *
 * Set it before connecting.
 */
void
cachet_connection_set_interaction (CachetConnection *self,
                                   GTlsInteraction  *interaction)
{
  g_return_if_fail (CACHET_IS_CONNECTION (self));
  g_return_if_fail (interaction == NULL || G_IS_TLS_INTERACTION (interaction));
  g_return_if_fail (!self->started);

  g_set_object (&self->interaction, interaction);
}

/**
 * cachet_connection_set_timeout:
 * @timeout_ms: the deadline, in milliseconds, of each operation started from
 *   now on
 *
 * A protocol that waits for the server on purpose (IMAP IDLE) raises it for
 * that read and puts it back afterwards.
 */
void
cachet_connection_set_timeout (CachetConnection *self,
                               guint             timeout_ms)
{
  g_return_if_fail (CACHET_IS_CONNECTION (self));
  g_return_if_fail (timeout_ms > 0);

  self->timeout_ms = timeout_ms;
}

/**
 * cachet_connection_set_max_line_length:
 * @max_line_length: the longest line, without its line break, that
 *   cachet_connection_read_line_async() returns; a longer one is an error
 */
void
cachet_connection_set_max_line_length (CachetConnection *self,
                                       gsize             max_line_length)
{
  g_return_if_fail (CACHET_IS_CONNECTION (self));
  /* The input buffer is a GByteArray, indexed by guint. */
  g_return_if_fail (max_line_length > 0 && max_line_length < G_MAXUINT32 / 2);

  self->max_line_length = max_line_length;
}

/**
 * cachet_connection_get_address:
 *
 * Returns: (transfer none): the server this connection is for
 */
CachetServerAddress *
cachet_connection_get_address (CachetConnection *self)
{
  g_return_val_if_fail (CACHET_IS_CONNECTION (self), NULL);

  return self->address;
}

static gboolean
on_accept_certificate (GTlsConnection       *tls,
                       GTlsCertificate      *peer_certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  CachetConnection *self = user_data;

  /* Kept for a "view certificate" dialog after the failure; never accepted. */
  g_set_object (&self->peer_certificate, peer_certificate);
  self->peer_certificate_errors = errors;

  return FALSE;
}

static gboolean
check_protocol_version (CachetConnection  *self,
                        GTlsConnection    *tls,
                        GError           **error)
{
  GTlsProtocolVersion version = g_tls_connection_get_protocol_version (tls);

  switch (version)
    {
    case G_TLS_PROTOCOL_VERSION_TLS_1_2:
    case G_TLS_PROTOCOL_VERSION_TLS_1_3:
    /* A version newer than this GLib knows. */
    case G_TLS_PROTOCOL_VERSION_UNKNOWN:
      return TRUE;

    case G_TLS_PROTOCOL_VERSION_SSL_3_0:
    case G_TLS_PROTOCOL_VERSION_TLS_1_0:
    case G_TLS_PROTOCOL_VERSION_TLS_1_1:
    case G_TLS_PROTOCOL_VERSION_DTLS_1_0:
    case G_TLS_PROTOCOL_VERSION_DTLS_1_2:
    default:
      g_set_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_TLS_VERSION,
                   _("The server %s only offers an obsolete version of TLS. "
                     "Tell your operator: TLS 1.2 at least is required."),
                   cachet_server_address_get_host (self->address));
      return FALSE;
    }
}

static void
on_handshake_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  CachetConnection *self = g_task_get_source_object (task);
  Operation *op = g_task_get_task_data (task);
  g_autofree char *ciphersuite = NULL;
  g_autofree char *where = NULL;
  GError *error = NULL;

  if (!g_tls_connection_handshake_finish (op->tls, result, &error))
    {
      if (self->peer_certificate_errors != G_TLS_CERTIFICATE_NO_FLAGS)
        {
          g_clear_error (&error);
          cachet_trust_check (self->trust, self->peer_certificate_errors,
                              cachet_server_address_get_host (self->address), &error);
        }
      operation_return_error (task, error);
      return;
    }

  if (!check_protocol_version (self, op->tls, &error))
    {
      operation_return_error (task, error);
      return;
    }

  self->tls = g_steal_pointer (&op->tls);
  g_set_object (&self->peer_certificate, g_tls_connection_get_peer_certificate (self->tls));
  self->peer_certificate_errors = g_tls_connection_get_peer_certificate_errors (self->tls);

  where = cachet_server_address_to_string (self->address);
  ciphersuite = g_tls_connection_get_ciphersuite_name (self->tls);
  g_debug ("TLS established with %s: %s", where, ciphersuite);

  operation_return_success (task);
}

/* Takes ownership of @task. */
static void
handshake (GTask *task)
{
  CachetConnection *self = g_task_get_source_object (task);
  Operation *op = g_task_get_task_data (task);
  GError *error = NULL;
  GIOStream *tls;

  /* The database is given at construction: set afterwards, the system's
   * whole trust store would have been loaded first, for nothing when the
   * account trusts its own CA file. */
  tls = g_initable_new (g_tls_backend_get_client_connection_type (g_tls_backend_get_default ()),
                        NULL, &error,
                        "base-io-stream", self->base,
                        "server-identity", self->identity,
                        "database", cachet_trust_get_database (self->trust),
                        NULL);
  if (tls == NULL)
    {
      operation_return_error (task, error);
      return;
    }

  op->tls = G_TLS_CONNECTION (tls);
  if (self->client_certificate != NULL)
    g_tls_connection_set_certificate (op->tls, self->client_certificate);
  self->tls_interaction = cachet_tls_interaction_new (self->interaction);
  g_tls_connection_set_interaction (op->tls, G_TLS_INTERACTION (self->tls_interaction));
  g_signal_connect_object (op->tls, "accept-certificate",
                           G_CALLBACK (on_accept_certificate), self, 0);

  g_tls_connection_handshake_async (op->tls, G_PRIORITY_DEFAULT, op->deadline.cancellable,
                                    on_handshake_done, task);
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  CachetConnection *self = g_task_get_source_object (task);
  GSocketConnection *connection;
  GError *error = NULL;

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  if (connection == NULL)
    {
      operation_return_error (task, error);
      return;
    }

  /* An IDLE session sits silent for many minutes, often behind NAT: let the
   * kernel notice a peer that vanished. */
  g_socket_set_keepalive (g_socket_connection_get_socket (connection), TRUE);
  self->base = G_IO_STREAM (connection);

  if (cachet_server_address_get_tls_mode (self->address) == CACHET_TLS_MODE_IMPLICIT)
    handshake (task);
  else
    operation_return_success (task);
}

/**
 * cachet_connection_connect_async:
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when connected, or on failure
 * @user_data: data for @callback
 *
 * Connects to the server and, for an implicit-TLS address, completes the TLS
 * handshake and verifies the server's certificate. For a STARTTLS address the
 * connection is plaintext until cachet_connection_start_tls_async().
 */
void
cachet_connection_connect_async (CachetConnection    *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GSocketClient) client = NULL;
  Operation *op;
  GTask *task;

  g_return_if_fail (CACHET_IS_CONNECTION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (!self->started);

  self->started = TRUE;
  task = operation_new (self, OPERATION_CONNECT, cancellable, callback, user_data,
                        cachet_connection_connect_async);
  op = g_task_get_task_data (task);

  client = g_socket_client_new ();
  g_socket_client_connect_async (client, self->identity, op->deadline.cancellable,
                                 on_connected, task);
}

/**
 * cachet_connection_connect_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE if connected; otherwise %FALSE with a %G_IO_ERROR
 *   (%G_IO_ERROR_TIMED_OUT, %G_IO_ERROR_CANCELLED, refused…), a %G_TLS_ERROR,
 *   or a %CACHET_NET_ERROR for a certificate that failed verification
 */
gboolean
cachet_connection_connect_finish (CachetConnection  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cachet_connection_connect_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Whether the server sent anything after its STARTTLS go-ahead: unread
 * input, or bytes already waiting in the kernel's buffer (one non-blocking
 * read tells). TLS records cannot be among them, since the server may only
 * speak TLS after our ClientHello. */
static gboolean
has_plaintext_after_go_ahead (CachetConnection *self)
{
  GPollableInputStream *input = G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (self->base));
  guint8 byte;

  if (self->input->len > 0)
    return TRUE;
  return g_pollable_input_stream_read_nonblocking (input, &byte, 1, NULL, NULL) > 0;
}

/**
 * cachet_connection_start_tls_async:
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when TLS is established, or on failure
 * @user_data: data for @callback
 *
 * Upgrades a STARTTLS connection, once the protocol has sent its STARTTLS
 * command and read the server's positive answer, and nothing else.
 *
 * A server never sends anything between that answer and the handshake
 * (RFC 3207 §4, RFC 9051 §6.2.1). Bytes there can only be someone on the path
 * injecting responses that would then look as if they came over TLS
 * (CVE-2011-0411 and its many successors): the upgrade then fails with
 * %CACHET_NET_ERROR_STARTTLS_INJECTION, before any handshake, and the
 * connection must be closed. Bytes that arrive later still end the connection,
 * since they break the handshake. Either way, nothing received in plaintext is
 * ever returned once TLS is up; the protocol must also forget everything it
 * learnt before TLS, capabilities included, and ask again.
 */
void
cachet_connection_start_tls_async (CachetConnection    *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CACHET_IS_CONNECTION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (cachet_server_address_get_tls_mode (self->address) == CACHET_TLS_MODE_STARTTLS);
  g_return_if_fail (self->base != NULL && self->tls == NULL);
  g_return_if_fail (!self->reading && !self->writing);

  task = operation_new (self, OPERATION_START_TLS, cancellable, callback, user_data,
                        cachet_connection_start_tls_async);
  if (has_plaintext_after_go_ahead (self))
    {
      g_byte_array_set_size (self->input, 0);
      operation_return_error (task, g_error_new (CACHET_NET_ERROR, CACHET_NET_ERROR_STARTTLS_INJECTION,
                                                 _("The server %s sent unexpected data just before "
                                                   "encrypting the connection: someone on the "
                                                   "network may be tampering with it. Cachet "
                                                   "disconnected without signing in. Try again "
                                                   "from another network, and tell your operator "
                                                   "if it keeps happening."),
                                                 cachet_server_address_get_host (self->address)));
      return;
    }

  handshake (task);
}

/**
 * cachet_connection_start_tls_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the connection is now secure; otherwise %FALSE, and the
 *   connection must be closed
 */
gboolean
cachet_connection_start_tls_finish (CachetConnection  *self,
                                    GAsyncResult      *result,
                                    GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cachet_connection_start_tls_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static GInputStream *
input_stream (CachetConnection *self)
{
  return g_io_stream_get_input_stream (self->tls != NULL ? G_IO_STREAM (self->tls) : self->base);
}

static void read_step (GTask *task);

static void
on_chunk_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  CachetConnection *self = g_task_get_source_object (task);
  Operation *op = g_task_get_task_data (task);
  GError *error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (n < 0)
    operation_return_error (task, error);
  else if (n == 0)
    operation_return_closed (task);
  else
    {
      self->received_over_tls |= self->tls != NULL;
      if (op->kind == OPERATION_READ_LINE)
        g_byte_array_append (self->input, op->chunk, (guint) n);
      else
        {
          op->filled += (gsize) n;
          deadline_arm (&op->deadline, task);
        }
      read_step (task);
    }
}

static void
line_too_long (GTask *task)
{
  CachetConnection *self = g_task_get_source_object (task);

  /* The connection is abandoned: free what the server made us hold. */
  g_byte_array_set_size (self->input, 0);
  operation_return_error (task, g_error_new (CACHET_NET_ERROR, CACHET_NET_ERROR_LINE_TOO_LONG,
                                             _("The server %s sent a line longer than %lu bytes."),
                                             cachet_server_address_get_host (self->address),
                                             (gulong) self->max_line_length));
}

/* Takes ownership of @task. Returns a line as soon as the input holds one,
 * otherwise reads one more chunk; read_bytes reads straight into its result. */
static void
read_step (GTask *task)
{
  CachetConnection *self = g_task_get_source_object (task);
  Operation *op = g_task_get_task_data (task);
  const guint8 *newline;

  if (op->kind == OPERATION_READ_BYTES)
    {
      if (op->filled == op->count)
        {
          operation_end (task);
          g_task_return_pointer (task, g_bytes_new_take (g_steal_pointer (&op->buffer), op->count),
                                 (GDestroyNotify) g_bytes_unref);
          g_object_unref (task);
          return;
        }
      g_input_stream_read_async (input_stream (self), op->buffer + op->filled,
                                 op->count - op->filled, G_PRIORITY_DEFAULT,
                                 op->deadline.cancellable, on_chunk_read, task);
      return;
    }

  newline = self->input->len > op->scanned
            ? memchr (self->input->data + op->scanned, '\n', self->input->len - op->scanned)
            : NULL;
  if (newline != NULL)
    {
      gsize end = (gsize) (newline - self->input->data);
      gsize length = end > 0 && self->input->data[end - 1] == '\r' ? end - 1 : end;
      char *line;

      if (length > self->max_line_length)
        {
          line_too_long (task);
          return;
        }

      line = g_malloc (length + 1);
      memcpy (line, self->input->data, length);
      line[length] = '\0';
      g_byte_array_remove_range (self->input, 0, (guint) end + 1);
      op->count = length;

      operation_end (task);
      g_task_return_pointer (task, line, g_free);
      g_object_unref (task);
      return;
    }

  /* One more byte than the bound: the CR of a line exactly at the bound. */
  if (self->input->len > self->max_line_length + 1)
    {
      line_too_long (task);
      return;
    }

  op->scanned = self->input->len;
  g_input_stream_read_async (input_stream (self), op->chunk, sizeof op->chunk,
                             G_PRIORITY_DEFAULT, op->deadline.cancellable, on_chunk_read, task);
}

/**
 * cachet_connection_read_line_async:
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the line, or on failure
 * @user_data: data for @callback
 *
 * Reads one line, ended by LF or CRLF. At most the maximum line length plus
 * one read's worth of bytes is ever held: a longer line fails with
 * %CACHET_NET_ERROR_LINE_TOO_LONG as soon as it is known to be too long.
 */
void
cachet_connection_read_line_async (CachetConnection    *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (CACHET_IS_CONNECTION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (self->base != NULL && !self->reading);

  read_step (operation_new (self, OPERATION_READ_LINE, cancellable, callback, user_data,
                            cachet_connection_read_line_async));
}

/**
 * cachet_connection_read_line_finish:
 * @result: the #GAsyncResult given to the callback
 * @length: (out) (optional): the length of the line; it may contain NUL bytes
 *   if the server sent any, which the protocol parser must refuse
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the line without its line break, or
 *   %NULL with %CACHET_NET_ERROR_LINE_TOO_LONG, %G_IO_ERROR_CONNECTION_CLOSED,
 *   %G_IO_ERROR_TIMED_OUT…
 */
char *
cachet_connection_read_line_finish (CachetConnection  *self,
                                    GAsyncResult      *result,
                                    gsize             *length,
                                    GError           **error)
{
  Operation *op;
  char *line;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cachet_connection_read_line_async,
                        NULL);

  op = g_task_get_task_data (G_TASK (result));
  line = g_task_propagate_pointer (G_TASK (result), error);
  if (length != NULL)
    *length = line != NULL ? op->count : 0;

  return line;
}

/**
 * cachet_connection_read_bytes_async:
 * @count: how many bytes to read, exactly; the protocol layer bounds it
 *   before asking (an IMAP literal's announced size comes from the server)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the bytes, or on failure
 * @user_data: data for @callback
 *
 * Reads @count bytes, for an IMAP literal or other counted data.
 */
void
cachet_connection_read_bytes_async (CachetConnection    *self,
                                    gsize                count,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  Operation *op;
  GTask *task;

  g_return_if_fail (CACHET_IS_CONNECTION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (self->base != NULL && !self->reading);

  task = operation_new (self, OPERATION_READ_BYTES, cancellable, callback, user_data,
                        cachet_connection_read_bytes_async);
  op = g_task_get_task_data (task);
  op->count = count;
  op->buffer = g_malloc (count);
  op->filled = MIN (count, self->input->len);
  if (op->filled > 0)
    {
      memcpy (op->buffer, self->input->data, op->filled);
      g_byte_array_remove_range (self->input, 0, (guint) op->filled);
    }

  read_step (task);
}

/**
 * cachet_connection_read_bytes_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): exactly the bytes asked for, or %NULL
 *   with %G_IO_ERROR_CONNECTION_CLOSED if the server closed the connection
 *   first, %G_IO_ERROR_TIMED_OUT…
 */
GBytes *
cachet_connection_read_bytes_finish (CachetConnection  *self,
                                     GAsyncResult      *result,
                                     GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cachet_connection_read_bytes_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void write_step (GTask *task);

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  Operation *op = g_task_get_task_data (task);
  GError *error = NULL;
  gssize n;

  n = g_output_stream_write_finish (G_OUTPUT_STREAM (source), result, &error);
  if (n < 0)
    {
      operation_return_error (task, error);
      return;
    }

  op->filled += (gsize) n;
  deadline_arm (&op->deadline, task);
  write_step (task);
}

/* Takes ownership of @task. One chunk at a time rather than
 * g_output_stream_write_all_async(), to see the progress the deadline
 * follows. */
static void
write_step (GTask *task)
{
  CachetConnection *self = g_task_get_source_object (task);
  Operation *op = g_task_get_task_data (task);
  gsize size;
  const guint8 *data = g_bytes_get_data (op->bytes, &size);
  GOutputStream *output;

  if (op->filled == size)
    {
      operation_return_success (task);
      return;
    }

  output = g_io_stream_get_output_stream (self->tls != NULL ? G_IO_STREAM (self->tls) : self->base);
  g_output_stream_write_async (output, data + op->filled, size - op->filled, G_PRIORITY_DEFAULT,
                               op->deadline.cancellable, on_written, task);
}

/**
 * cachet_connection_write_async:
 * @bytes: what to send; for credentials, wrap the buffer with
 *   cachet_secret_to_bytes() so that it is wiped once sent
 * @flags: %CACHET_WRITE_CREDENTIALS for anything that carries a credential
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when everything was written, or on failure
 * @user_data: data for @callback
 *
 * Writes all of @bytes.
 */
void
cachet_connection_write_async (CachetConnection    *self,
                               GBytes              *bytes,
                               CachetWriteFlags     flags,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  Operation *op;
  GTask *task;

  g_return_if_fail (CACHET_IS_CONNECTION (self));
  g_return_if_fail (bytes != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (self->base != NULL && !self->writing);

  task = operation_new (self, OPERATION_WRITE, cancellable, callback, user_data,
                        cachet_connection_write_async);
  if ((flags & CACHET_WRITE_CREDENTIALS) != 0 && !cachet_connection_is_secure (self))
    {
      operation_return_error (task, g_error_new (CACHET_NET_ERROR, CACHET_NET_ERROR_NOT_SECURE,
                                                 _("Cachet refused to send your credentials to "
                                                   "%s: the connection is not encrypted."),
                                                 cachet_server_address_get_host (self->address)));
      return;
    }

  op = g_task_get_task_data (task);
  op->bytes = g_bytes_ref (bytes);
  write_step (task);
}

/**
 * cachet_connection_write_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE if everything was written; %FALSE with
 *   %CACHET_NET_ERROR_NOT_SECURE if credentials were refused (nothing was
 *   sent), or an I/O error
 */
gboolean
cachet_connection_write_finish (CachetConnection  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cachet_connection_write_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_closed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!g_io_stream_close_finish (G_IO_STREAM (source), result, &error))
    operation_return_error (task, error);
  else
    operation_return_success (task);
}

/**
 * cachet_connection_close_async:
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when closed
 * @user_data: data for @callback
 *
 * Ends TLS cleanly (close_notify) and closes the connection. Cancel any
 * pending read first.
 */
void
cachet_connection_close_async (CachetConnection    *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  Operation *op;
  GTask *task;

  g_return_if_fail (CACHET_IS_CONNECTION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = operation_new (self, OPERATION_CLOSE, cancellable, callback, user_data,
                        cachet_connection_close_async);
  if (self->base == NULL)
    {
      operation_return_success (task);
      return;
    }

  op = g_task_get_task_data (task);
  g_io_stream_close_async (self->tls != NULL ? G_IO_STREAM (self->tls) : self->base,
                           G_PRIORITY_DEFAULT, op->deadline.cancellable, on_closed, task);
}

/**
 * cachet_connection_close_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the connection closed cleanly
 */
gboolean
cachet_connection_close_finish (CachetConnection  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cachet_connection_close_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * cachet_connection_is_secure:
 *
 * Whether TLS is established, implicitly or by STARTTLS, with a server whose
 * certificate passed verification (no other TLS state exists: a certificate
 * that fails verification ends the connection). Credentials may be sent only
 * when this is %TRUE.
 *
 * Returns: %TRUE once TLS is up
 */
gboolean
cachet_connection_is_secure (CachetConnection *self)
{
  g_return_val_if_fail (CACHET_IS_CONNECTION (self), FALSE);

  return self->tls != NULL;
}

/**
 * cachet_connection_get_peer_certificate:
 *
 * Returns: (transfer none) (nullable): the server's certificate once TLS is
 *   established, or the one that failed verification after a failed handshake
 */
GTlsCertificate *
cachet_connection_get_peer_certificate (CachetConnection *self)
{
  g_return_val_if_fail (CACHET_IS_CONNECTION (self), NULL);

  return self->peer_certificate;
}

/**
 * cachet_connection_get_peer_certificate_errors:
 *
 * Returns: what verification found wrong with the peer certificate: nothing
 *   on an established connection, the reasons after a failed handshake
 */
GTlsCertificateFlags
cachet_connection_get_peer_certificate_errors (CachetConnection *self)
{
  g_return_val_if_fail (CACHET_IS_CONNECTION (self), G_TLS_CERTIFICATE_NO_FLAGS);

  return self->peer_certificate_errors;
}

/**
 * cachet_connection_get_protocol_version:
 *
 * Returns: the negotiated TLS version, or %G_TLS_PROTOCOL_VERSION_UNKNOWN
 *   before TLS is established
 */
GTlsProtocolVersion
cachet_connection_get_protocol_version (CachetConnection *self)
{
  g_return_val_if_fail (CACHET_IS_CONNECTION (self), G_TLS_PROTOCOL_VERSION_UNKNOWN);

  if (self->tls == NULL)
    return G_TLS_PROTOCOL_VERSION_UNKNOWN;
  return g_tls_connection_get_protocol_version (self->tls);
}

/**
 * cachet_connection_get_ciphersuite_name:
 *
 * Returns: (transfer full) (nullable): the negotiated cipher suite, such as
 *   "TLS_AES_256_GCM_SHA384", or %NULL before TLS is established
 */
char *
cachet_connection_get_ciphersuite_name (CachetConnection *self)
{
  g_return_val_if_fail (CACHET_IS_CONNECTION (self), NULL);

  if (self->tls == NULL)
    return NULL;
  return g_tls_connection_get_ciphersuite_name (self->tls);
}
