/* cachet-inbox-watcher.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cachet-account-session.h"
#include "cachet-imap-error.h"
#include "cachet-imap-session.h"
#include "cachet-inbox-watcher.h"
#include "cachet-net-error.h"

/**
 * CachetInboxWatcher:
 *
 * Keeps one IMAP session with INBOX examined (read-only: watching changes
 * nothing on the server) and waiting in IDLE, and emits #CachetInboxWatcher::changed
 * when the server reports a new message, an expunged one or changed flags.
 * It downloads nothing: the owner answers #CachetInboxWatcher::changed with a
 * sync.
 *
 * The session renews IDLE before the server's inactivity timeout (see
 * %CACHET_IMAP_SESSION_DEFAULT_IDLE_REFRESH_SECONDS). When the connection
 * fails or is lost, the watcher tries again after a delay that doubles up to
 * a cap, and at once when the network changes (a change while watching makes
 * it check the connection); after a reconnection it emits
 * #CachetInboxWatcher::changed, since mail may have come meanwhile.
 *
 * Everything happens on the thread-default main context of the thread that
 * created the watcher; #CachetInboxWatcher::changed is emitted there.
 */

#define DEFAULT_FIRST_RETRY_DELAY_MS 1000
#define DEFAULT_MAX_RETRY_DELAY_MS (5 * 60 * 1000)

struct _CachetInboxWatcher
{
  GObject                    parent_instance;

  CachetAccount             *account;
  CachetCredentialsProvider *credentials;
  GMainContext              *context;
  GNetworkMonitor           *network;

  CachetInboxWatcherState    state;
  GError                    *error;

  /* One per connection attempt, cancelled when the attempt is abandoned:
   * callbacks that see it cancelled must not touch the watcher, which may
   * be gone. */
  GCancellable              *cancellable;
  CachetImapSession         *session;
  /* Set once a session was lost: the next one may have missed changes. */
  gboolean                   reconnecting;

  GSource                   *changed_source;
  GSource                   *retry_source;
  guint                      retry_delay_ms;
  guint                      first_retry_delay_ms;
  guint                      max_retry_delay_ms;
};

G_DEFINE_FINAL_TYPE (CachetInboxWatcher, cachet_inbox_watcher, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (CachetInboxWatcherState, cachet_inbox_watcher_state,
  G_DEFINE_ENUM_VALUE (CACHET_INBOX_WATCHER_STATE_STOPPED, "stopped"),
  G_DEFINE_ENUM_VALUE (CACHET_INBOX_WATCHER_STATE_CONNECTING, "connecting"),
  G_DEFINE_ENUM_VALUE (CACHET_INBOX_WATCHER_STATE_WATCHING, "watching"),
  G_DEFINE_ENUM_VALUE (CACHET_INBOX_WATCHER_STATE_WAITING, "waiting"),
  G_DEFINE_ENUM_VALUE (CACHET_INBOX_WATCHER_STATE_UNSUPPORTED, "unsupported"),
  G_DEFINE_ENUM_VALUE (CACHET_INBOX_WATCHER_STATE_FAILED, "failed"))

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void connect_now (CachetInboxWatcher *self);

/* Takes @error. */
static void
set_state (CachetInboxWatcher      *self,
           CachetInboxWatcherState  state,
           GError                  *error)
{
  g_clear_error (&self->error);
  self->error = error;
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
destroy_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static gboolean
emit_changed (gpointer user_data)
{
  CachetInboxWatcher *self = user_data;

  g_clear_pointer (&self->changed_source, g_source_unref);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  return G_SOURCE_REMOVE;
}

/* A burst of responses (EXISTS, then FETCH of its flags…) makes one
 * emission, from the main loop rather than from inside the session. */
static void
queue_changed (CachetInboxWatcher *self)
{
  if (self->changed_source != NULL)
    return;
  self->changed_source = g_idle_source_new ();
  g_source_set_callback (self->changed_source, emit_changed, self, NULL);
  g_source_attach (self->changed_source, self->context);
}

static void
on_inbox_changed (CachetInboxWatcher *self)
{
  queue_changed (self);
}

static void
drop_session (CachetInboxWatcher *self)
{
  /* Cancelled first, so that the callbacks the closing triggers know to
   * keep away. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  destroy_source (&self->retry_source);
  if (self->session == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->session, self);
  cachet_imap_session_close (self->session);
  g_clear_object (&self->session);
}

static gboolean
on_retry (gpointer user_data)
{
  CachetInboxWatcher *self = user_data;

  g_clear_pointer (&self->retry_source, g_source_unref);
  connect_now (self);
  return G_SOURCE_REMOVE;
}

/* Retrying cannot fix these: it would only repeat a refused sign-in, which
 * servers count towards locking the account. */
static gboolean
needs_user (const GError *error)
{
  return g_error_matches (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_UNAUTHENTICATED) ||
         g_error_matches (error, CACHET_NET_ERROR, CACHET_NET_ERROR_SASL_INVALID_CREDENTIALS) ||
         g_error_matches (error, CACHET_NET_ERROR, CACHET_NET_ERROR_IDENTITY_BAD_PASSPHRASE);
}

/* Takes @error. */
static void
fail (CachetInboxWatcher *self,
      GError             *error)
{
  g_debug ("Inbox watcher: session ended: %s %d", g_quark_to_string (error->domain), error->code);
  drop_session (self);

  if (g_error_matches (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_NOT_SUPPORTED))
    {
      set_state (self, CACHET_INBOX_WATCHER_STATE_UNSUPPORTED, error);
      return;
    }
  if (needs_user (error))
    {
      set_state (self, CACHET_INBOX_WATCHER_STATE_FAILED, error);
      return;
    }

  self->reconnecting = TRUE;
  self->retry_source = g_timeout_source_new (self->retry_delay_ms);
  g_source_set_callback (self->retry_source, on_retry, self, NULL);
  g_source_attach (self->retry_source, self->context);
  set_state (self, CACHET_INBOX_WATCHER_STATE_WAITING, error);
  self->retry_delay_ms = MIN (self->retry_delay_ms * 2, self->max_retry_delay_ms);
}

/* Takes @error. A cancelled operation belongs to an abandoned attempt, and
 * the watcher may be gone: @self is only touched otherwise. */
static void
attempt_failed (CachetInboxWatcher *self,
                GError             *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_error_free (error);
      return;
    }
  fail (self, error);
}

static void idle (CachetInboxWatcher *self);

static void
idled_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  CachetInboxWatcher *self = user_data;
  GError *error = NULL;

  if (!cachet_imap_session_idle_finish (CACHET_IMAP_SESSION (source), result, &error))
    {
      attempt_failed (self, error);
      return;
    }
  /* IDLE ends when the server reported something (already queued as
   * changed) or when the session wanted the line: wait again. */
  idle (self);
}

static void
idle (CachetInboxWatcher *self)
{
  cachet_imap_session_idle_async (self->session, self->cancellable, idled_cb, self);
}

static void
examined_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  CachetInboxWatcher *self = user_data;
  g_autoptr(CachetImapSelectResult) selected = NULL;
  GError *error = NULL;

  selected = cachet_imap_session_select_finish (CACHET_IMAP_SESSION (source), result, &error);
  if (selected == NULL)
    {
      attempt_failed (self, error);
      return;
    }

  self->retry_delay_ms = self->first_retry_delay_ms;
  if (self->reconnecting)
    {
      self->reconnecting = FALSE;
      queue_changed (self);
    }
  set_state (self, CACHET_INBOX_WATCHER_STATE_WATCHING, NULL);
  idle (self);
}

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  CachetInboxWatcher *self = user_data;
  CachetImapSession *session;
  GError *error = NULL;

  session = cachet_account_session_open_finish (result, &error);
  if (session == NULL)
    {
      attempt_failed (self, error);
      return;
    }

  self->session = session;
  g_signal_connect_swapped (session, "exists", G_CALLBACK (on_inbox_changed), self);
  g_signal_connect_swapped (session, "expunged", G_CALLBACK (on_inbox_changed), self);
  g_signal_connect_swapped (session, "vanished", G_CALLBACK (on_inbox_changed), self);
  g_signal_connect_swapped (session, "flags-changed", G_CALLBACK (on_inbox_changed), self);
  /* Without IDLE there is nothing to watch with: IDLE fails at once with the
   * session's own error, which tells the user what to ask for. */
  if (!cachet_imap_session_has_capability (session, "IDLE"))
    {
      idle (self);
      return;
    }
  cachet_imap_session_examine_async (session, "INBOX", NULL, self->cancellable, examined_cb, self);
}

static void
connect_now (CachetInboxWatcher *self)
{
  drop_session (self);
  self->cancellable = g_cancellable_new ();
  set_state (self, CACHET_INBOX_WATCHER_STATE_CONNECTING, NULL);
  cachet_account_session_open_async (self->account, self->credentials, self->cancellable,
                                     opened_cb, self);
}

static void
probed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  CachetInboxWatcher *self = user_data;
  GError *error = NULL;

  if (!cachet_imap_session_noop_finish (CACHET_IMAP_SESSION (source), result, &error))
    attempt_failed (self, error);
}

/* After a network change the connection may be dead without either end
 * knowing: IDLE would only find out when it is renewed, half an hour later.
 * A NOOP (which ends IDLE; the loop then waits again) finds out within the
 * session's timeout, and costs nothing when the connection survived, as it
 * does after most changes. A delay meant for an unreachable server no longer
 * applies either. */
static void
on_network_changed (CachetInboxWatcher *self,
                    gboolean            available)
{
  if (!available)
    return;

  switch (self->state)
    {
    case CACHET_INBOX_WATCHER_STATE_WATCHING:
      g_debug ("Inbox watcher: network changed, checking the connection");
      cachet_imap_session_noop_async (self->session, self->cancellable, probed_cb, self);
      break;

    case CACHET_INBOX_WATCHER_STATE_WAITING:
      g_debug ("Inbox watcher: network changed, trying again now");
      self->retry_delay_ms = self->first_retry_delay_ms;
      connect_now (self);
      break;

    case CACHET_INBOX_WATCHER_STATE_STOPPED:
    case CACHET_INBOX_WATCHER_STATE_CONNECTING:
    case CACHET_INBOX_WATCHER_STATE_UNSUPPORTED:
    case CACHET_INBOX_WATCHER_STATE_FAILED:
    default:
      break;
    }
}

/**
 * cachet_inbox_watcher_new:
 * @account: the account whose INBOX to watch
 * @credentials: where its secrets are
 *
 * Returns: (transfer full): a stopped watcher, bound to the calling thread's
 *   thread-default main context
 */
CachetInboxWatcher *
cachet_inbox_watcher_new (CachetAccount             *account,
                          CachetCredentialsProvider *credentials)
{
  CachetInboxWatcher *self;

  g_return_val_if_fail (CACHET_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (CACHET_IS_CREDENTIALS_PROVIDER (credentials), NULL);

  self = g_object_new (CACHET_TYPE_INBOX_WATCHER, NULL);
  self->account = g_object_ref (account);
  self->credentials = g_object_ref (credentials);
  return self;
}

/**
 * cachet_inbox_watcher_set_retry_delays:
 * @first_ms: the delay before the first new attempt after a failure
 * @max_ms: the cap of the delay, which doubles at each failure in a row
 *
 * Defaults to one second, doubling up to five minutes.
 */
void
cachet_inbox_watcher_set_retry_delays (CachetInboxWatcher *self,
                                       guint               first_ms,
                                       guint               max_ms)
{
  g_return_if_fail (CACHET_IS_INBOX_WATCHER (self));
  g_return_if_fail (first_ms > 0 && first_ms <= max_ms);

  self->first_retry_delay_ms = first_ms;
  self->max_retry_delay_ms = max_ms;
  self->retry_delay_ms = first_ms;
}

/**
 * cachet_inbox_watcher_start:
 *
 * Connects and starts watching; from any state, which makes it the way to
 * try again at once (after the credentials were corrected, for instance).
 */
void
cachet_inbox_watcher_start (CachetInboxWatcher *self)
{
  g_return_if_fail (CACHET_IS_INBOX_WATCHER (self));

  self->reconnecting = FALSE;
  self->retry_delay_ms = self->first_retry_delay_ms;
  connect_now (self);
}

/**
 * cachet_inbox_watcher_stop:
 *
 * Closes the session and stops trying; #CachetInboxWatcher::changed is no
 * longer emitted.
 */
void
cachet_inbox_watcher_stop (CachetInboxWatcher *self)
{
  g_return_if_fail (CACHET_IS_INBOX_WATCHER (self));

  drop_session (self);
  destroy_source (&self->changed_source);
  set_state (self, CACHET_INBOX_WATCHER_STATE_STOPPED, NULL);
}

CachetInboxWatcherState
cachet_inbox_watcher_get_state (CachetInboxWatcher *self)
{
  g_return_val_if_fail (CACHET_IS_INBOX_WATCHER (self), CACHET_INBOX_WATCHER_STATE_STOPPED);

  return self->state;
}

/**
 * cachet_inbox_watcher_get_error:
 *
 * Returns: (nullable): why the watcher is waiting, failed or unsupported;
 *   %NULL otherwise
 */
const GError *
cachet_inbox_watcher_get_error (CachetInboxWatcher *self)
{
  g_return_val_if_fail (CACHET_IS_INBOX_WATCHER (self), NULL);

  return self->error;
}

/**
 * cachet_inbox_watcher_get_retry_delay:
 *
 * Returns: how long the watcher waits before the next attempt after a
 *   failure from now on, in milliseconds
 */
guint
cachet_inbox_watcher_get_retry_delay (CachetInboxWatcher *self)
{
  g_return_val_if_fail (CACHET_IS_INBOX_WATCHER (self), 0);

  return self->retry_delay_ms;
}

static void
cachet_inbox_watcher_dispose (GObject *object)
{
  CachetInboxWatcher *self = CACHET_INBOX_WATCHER (object);

  drop_session (self);
  destroy_source (&self->changed_source);
  if (self->network != NULL)
    g_signal_handlers_disconnect_by_data (self->network, self);
  g_clear_object (&self->network);

  G_OBJECT_CLASS (cachet_inbox_watcher_parent_class)->dispose (object);
}

static void
cachet_inbox_watcher_finalize (GObject *object)
{
  CachetInboxWatcher *self = CACHET_INBOX_WATCHER (object);

  g_clear_object (&self->account);
  g_clear_object (&self->credentials);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (cachet_inbox_watcher_parent_class)->finalize (object);
}

static void
cachet_inbox_watcher_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  CachetInboxWatcher *self = CACHET_INBOX_WATCHER (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cachet_inbox_watcher_class_init (CachetInboxWatcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cachet_inbox_watcher_dispose;
  object_class->finalize = cachet_inbox_watcher_finalize;
  object_class->get_property = cachet_inbox_watcher_get_property;

  /**
   * CachetInboxWatcher:state:
   *
   * Where the watcher stands.
   */
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, CACHET_TYPE_INBOX_WATCHER_STATE,
                       CACHET_INBOX_WATCHER_STATE_STOPPED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CachetInboxWatcher::changed:
   *
   * INBOX changed on the server (new, expunged or re-flagged messages), or
   * may have while the watcher was reconnecting: time to sync it.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
cachet_inbox_watcher_init (CachetInboxWatcher *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->network = g_object_ref (g_network_monitor_get_default ());
  self->first_retry_delay_ms = DEFAULT_FIRST_RETRY_DELAY_MS;
  self->max_retry_delay_ms = DEFAULT_MAX_RETRY_DELAY_MS;
  self->retry_delay_ms = DEFAULT_FIRST_RETRY_DELAY_MS;
  g_signal_connect_swapped (self->network, "network-changed", G_CALLBACK (on_network_changed), self);
}
