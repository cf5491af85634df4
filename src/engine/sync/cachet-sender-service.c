/* cachet-sender-service.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cachet-outbox-model.h"
#include "cachet-outbox-sender.h"
#include "cachet-sender-service.h"

/* Keeps every account's outbox moving for a long-running program: one sender
 * per account, never two flushes of one account at once, a flush when a
 * message is queued, when the network comes back and when the earliest retry
 * is due. Problems are told through ::send-failed, once per failed attempt. */

struct _CachetSenderService
{
  GObject                    parent_instance;

  CachetAccountList         *accounts;
  CachetCredentialsProvider *credentials;
  GNetworkMonitor           *network;
  /* Account id → AccountOutbox. */
  GHashTable                *outboxes;
  /* The CachetOutboxModel of each account, in the accounts' order. */
  GListStore                *models;
  guint                      n_flushing;
};

G_DEFINE_FINAL_TYPE (CachetSenderService, cachet_sender_service, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SEND_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  CachetAccount      *account;
  CachetOutbox       *outbox;
  CachetOutboxSender *sender;
  CachetOutboxModel  *model;
  GCancellable       *cancellable;
  /* Id → CachetOutboxEntry as they were when the running flush began. */
  GHashTable         *before_flush;
  gboolean            flush_again;
  guint               retry_source;
} AccountOutbox;

static void flush_account (CachetSenderService *self,
                           AccountOutbox       *outbox);

static void
account_outbox_free (AccountOutbox *outbox)
{
  g_cancellable_cancel (outbox->cancellable);
  g_clear_handle_id (&outbox->retry_source, g_source_remove);
  g_clear_object (&outbox->account);
  g_clear_object (&outbox->outbox);
  g_clear_object (&outbox->sender);
  g_clear_object (&outbox->model);
  g_clear_object (&outbox->cancellable);
  g_clear_pointer (&outbox->before_flush, g_hash_table_unref);
  g_free (outbox);
}

static AccountOutbox *
account_outbox_new (CachetSenderService *self,
                    CachetAccount       *account)
{
  AccountOutbox *outbox = g_new0 (AccountOutbox, 1);
  const char *id = cachet_account_get_id (account);

  outbox->account = g_object_ref (account);
  outbox->outbox = cachet_outbox_new_for_account (id);
  outbox->sender = cachet_outbox_sender_new (account, self->credentials, outbox->outbox);
  outbox->model = cachet_outbox_model_new (outbox->outbox, id);

  return outbox;
}

static gboolean
is_flushing (AccountOutbox *outbox)
{
  return outbox->before_flush != NULL;
}

static void
set_flushing (CachetSenderService *self,
              AccountOutbox       *outbox,
              GHashTable          *before_flush)
{
  gboolean was_busy = self->n_flushing > 0;

  if (before_flush != NULL)
    self->n_flushing++;
  else if (is_flushing (outbox))
    self->n_flushing--;
  g_clear_pointer (&outbox->before_flush, g_hash_table_unref);
  outbox->before_flush = before_flush;

  if (was_busy != (self->n_flushing > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static GHashTable *
entries_by_id (GPtrArray *entries)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                             (GDestroyNotify) cachet_outbox_entry_free);

  for (guint i = 0; i < entries->len; i++)
    {
      CachetOutboxEntry *entry = cachet_outbox_entry_copy (g_ptr_array_index (entries, i));

      g_hash_table_insert (table, entry->id, entry);
    }
  return table;
}

/* A message whose failure is news: it failed in this flush, not before. */
static gboolean
failed_in_flush (const CachetOutboxEntry *before,
                 const CachetOutboxEntry *after)
{
  if (after->last_error == NULL || after->state == CACHET_OUTBOX_ACCEPTED)
    return FALSE;
  if (after->state != CACHET_OUTBOX_FAILED && after->state != CACHET_OUTBOX_QUEUED)
    return FALSE;
  return before == NULL ||
         before->state != after->state ||
         before->attempts != after->attempts ||
         before->next_attempt != after->next_attempt;
}

static gboolean
retry_due_cb (gpointer user_data);

typedef struct
{
  CachetSenderService *service;
  char                *account_id;
} RetryTimer;

static void
retry_timer_free (RetryTimer *timer)
{
  g_free (timer->account_id);
  g_free (timer);
}

/* Wakes up when the earliest message waiting in @outbox is due. */
static void
schedule_retry (CachetSenderService *self,
                AccountOutbox       *outbox,
                GPtrArray           *entries)
{
  gint64 earliest = G_MAXINT64;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  RetryTimer *timer;

  g_clear_handle_id (&outbox->retry_source, g_source_remove);
  for (guint i = 0; i < entries->len; i++)
    {
      CachetOutboxEntry *entry = g_ptr_array_index (entries, i);

      if (entry->state != CACHET_OUTBOX_FAILED)
        earliest = MIN (earliest, entry->next_attempt);
    }
  if (earliest == G_MAXINT64)
    return;

  timer = g_new0 (RetryTimer, 1);
  timer->service = self;
  timer->account_id = g_strdup (cachet_account_get_id (outbox->account));
  outbox->retry_source = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT,
                                                     (guint) CLAMP (earliest - now, 1, G_MAXINT),
                                                     retry_due_cb, timer,
                                                     (GDestroyNotify) retry_timer_free);
}

static gboolean
retry_due_cb (gpointer user_data)
{
  RetryTimer *timer = user_data;
  AccountOutbox *outbox = g_hash_table_lookup (timer->service->outboxes, timer->account_id);

  outbox->retry_source = 0;
  flush_account (timer->service, outbox);
  return G_SOURCE_REMOVE;
}

/* A flush does not keep the service alive: disposing of the service cancels
 * it. */
typedef struct
{
  GWeakRef  service;
  char     *account_id;
} Flush;

static void
flush_free (Flush *flush)
{
  g_weak_ref_clear (&flush->service);
  g_free (flush->account_id);
  g_free (flush);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Flush, flush_free)

static void
report_failures (CachetSenderService *self,
                 AccountOutbox       *outbox,
                 GPtrArray           *entries)
{
  for (guint i = 0; i < entries->len; i++)
    {
      CachetOutboxEntry *entry = g_ptr_array_index (entries, i);
      CachetOutboxEntry *before = g_hash_table_lookup (outbox->before_flush, entry->id);

      if (failed_in_flush (before, entry))
        g_signal_emit (self, signals[SEND_FAILED], 0,
                       outbox->account, entry->subject, entry->last_error,
                       entry->state == CACHET_OUTBOX_FAILED ? (gint64) 0 : entry->next_attempt);
    }
}

static void
flushed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Flush) flush = user_data;
  g_autoptr(CachetSenderService) self = g_weak_ref_get (&flush->service);
  g_autoptr(CachetOutboxReport) report = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  AccountOutbox *outbox;

  report = cachet_outbox_sender_flush_finish (CACHET_OUTBOX_SENDER (source), result, &error);
  /* The service is gone, or the account. */
  if (self == NULL || self->outboxes == NULL)
    return;
  outbox = g_hash_table_lookup (self->outboxes, flush->account_id);
  if (outbox == NULL || outbox->sender != CACHET_OUTBOX_SENDER (source))
    return;

  if (report == NULL)
    {
      g_warning ("Cannot send the outbox of %s: %s", flush->account_id, error->message);
      g_clear_error (&error);
    }
  entries = cachet_outbox_list (outbox->outbox, &error);
  if (entries == NULL)
    g_warning ("Cannot read the outbox of %s: %s", flush->account_id, error->message);
  else
    {
      report_failures (self, outbox, entries);
      schedule_retry (self, outbox, entries);
    }
  set_flushing (self, outbox, NULL);

  if (outbox->flush_again)
    flush_account (self, outbox);
}

static void
flush_account (CachetSenderService *self,
               AccountOutbox       *outbox)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  Flush *flush;

  if (is_flushing (outbox))
    {
      outbox->flush_again = TRUE;
      return;
    }
  outbox->flush_again = FALSE;

  entries = cachet_outbox_list (outbox->outbox, &error);
  if (entries == NULL)
    {
      g_warning ("Cannot read the outbox of %s: %s", cachet_account_get_id (outbox->account), error->message);
      return;
    }
  set_flushing (self, outbox, entries_by_id (entries));

  flush = g_new0 (Flush, 1);
  g_weak_ref_init (&flush->service, self);
  flush->account_id = g_strdup (cachet_account_get_id (outbox->account));
  g_clear_object (&outbox->cancellable);
  outbox->cancellable = g_cancellable_new ();
  cachet_outbox_sender_flush_async (outbox->sender, outbox->cancellable, flushed_cb, flush);
}

/* Follows the account list: a new account gets its outbox, a removed one's
 * flush is stopped so that its files can go. */
static void
accounts_changed_cb (CachetSenderService *self)
{
  GListModel *accounts = G_LIST_MODEL (self->accounts);
  guint n_accounts = g_list_model_get_n_items (accounts);
  GHashTableIter iter;
  AccountOutbox *outbox;
  const char *id;

  g_hash_table_iter_init (&iter, self->outboxes);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, (gpointer *) &outbox))
    {
      if (!cachet_account_list_has_id (self->accounts, id))
        {
          set_flushing (self, outbox, NULL);
          g_hash_table_iter_remove (&iter);
        }
    }

  g_list_store_remove_all (self->models);
  for (guint i = 0; i < n_accounts; i++)
    {
      g_autoptr(CachetAccount) account = g_list_model_get_item (accounts, i);

      id = cachet_account_get_id (account);
      outbox = g_hash_table_lookup (self->outboxes, id);
      if (outbox == NULL)
        {
          outbox = account_outbox_new (self, account);
          g_hash_table_insert (self->outboxes, g_strdup (id), outbox);
          flush_account (self, outbox);
        }
      g_list_store_append (self->models, outbox->model);
    }
}

static void
network_changed_cb (CachetSenderService *self,
                    gboolean             available)
{
  if (available)
    cachet_sender_service_flush_all (self);
}

/**
 * cachet_sender_service_new:
 * @accounts: the user's accounts, followed as they change
 * @credentials: where the accounts' passwords are
 *
 * Creates the service and starts sending what every outbox holds.
 *
 * Returns: (transfer full): the service
 */
CachetSenderService *
cachet_sender_service_new (CachetAccountList         *accounts,
                           CachetCredentialsProvider *credentials)
{
  CachetSenderService *self;

  g_return_val_if_fail (CACHET_IS_ACCOUNT_LIST (accounts), NULL);
  g_return_val_if_fail (CACHET_IS_CREDENTIALS_PROVIDER (credentials), NULL);

  self = g_object_new (CACHET_TYPE_SENDER_SERVICE, NULL);
  self->accounts = g_object_ref (accounts);
  self->credentials = g_object_ref (credentials);
  self->network = g_object_ref (g_network_monitor_get_default ());

  g_signal_connect_object (accounts, "items-changed", G_CALLBACK (accounts_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->network, "network-changed", G_CALLBACK (network_changed_cb), self,
                           G_CONNECT_SWAPPED);
  accounts_changed_cb (self);

  return self;
}

static AccountOutbox *
lookup_outbox (CachetSenderService  *self,
               const char           *account_id,
               GError              **error)
{
  AccountOutbox *outbox = g_hash_table_lookup (self->outboxes, account_id);

  if (outbox == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 _("The account of this message was removed"));
  return outbox;
}

/**
 * cachet_sender_service_queue:
 * @account: the account sending the message
 * @message: the message, exactly as it will be sent
 * @recipients: the envelope recipients
 * @error: return location for a #GError
 *
 * Keeps the message durably in the account's outbox, then sends it in the
 * background.
 *
 * Returns: whether the message is safely queued
 */
gboolean
cachet_sender_service_queue (CachetSenderService  *self,
                             CachetAccount        *account,
                             GBytes               *message,
                             const char * const   *recipients,
                             GError              **error)
{
  g_autoptr(CachetOutboxEntry) entry = NULL;
  AccountOutbox *outbox;

  g_return_val_if_fail (CACHET_IS_SENDER_SERVICE (self), FALSE);
  g_return_val_if_fail (CACHET_IS_ACCOUNT (account), FALSE);

  outbox = lookup_outbox (self, cachet_account_get_id (account), error);
  if (outbox == NULL)
    return FALSE;
  entry = cachet_outbox_enqueue (outbox->outbox, message, recipients, error);
  if (entry == NULL)
    return FALSE;

  flush_account (self, outbox);
  return TRUE;
}

/**
 * cachet_sender_service_flush_all:
 *
 * Sends what is due in every outbox, for instance once the network is back.
 */
void
cachet_sender_service_flush_all (CachetSenderService *self)
{
  GHashTableIter iter;
  AccountOutbox *outbox;

  g_return_if_fail (CACHET_IS_SENDER_SERVICE (self));

  g_hash_table_iter_init (&iter, self->outboxes);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &outbox))
    flush_account (self, outbox);
}

/**
 * cachet_sender_service_retry:
 * @item: a message of one of the outboxes
 * @error: return location for a #GError
 *
 * Sends a waiting or failed message now, at the user's request.
 */
gboolean
cachet_sender_service_retry (CachetSenderService  *self,
                             CachetOutboxItem     *item,
                             GError              **error)
{
  g_autoptr(CachetOutboxEntry) entry = NULL;
  AccountOutbox *outbox;

  g_return_val_if_fail (CACHET_IS_SENDER_SERVICE (self), FALSE);
  g_return_val_if_fail (CACHET_IS_OUTBOX_ITEM (item), FALSE);

  outbox = lookup_outbox (self, cachet_outbox_item_get_account_id (item), error);
  if (outbox == NULL)
    return FALSE;
  entry = cachet_outbox_entry_copy (cachet_outbox_item_get_entry (item));
  if (!cachet_outbox_retry_now (outbox->outbox, entry, error))
    return FALSE;

  flush_account (self, outbox);
  return TRUE;
}

/**
 * cachet_sender_service_cancel:
 * @item: a message of one of the outboxes
 * @error: return location for a #GError
 *
 * Deletes a message not sent yet, at the user's request.
 */
gboolean
cachet_sender_service_cancel (CachetSenderService  *self,
                              CachetOutboxItem     *item,
                              GError              **error)
{
  g_autoptr(CachetOutboxEntry) entry = NULL;
  AccountOutbox *outbox;

  g_return_val_if_fail (CACHET_IS_SENDER_SERVICE (self), FALSE);
  g_return_val_if_fail (CACHET_IS_OUTBOX_ITEM (item), FALSE);

  outbox = lookup_outbox (self, cachet_outbox_item_get_account_id (item), error);
  if (outbox == NULL)
    return FALSE;
  entry = cachet_outbox_entry_copy (cachet_outbox_item_get_entry (item));
  return cachet_outbox_cancel (outbox->outbox, entry, error);
}

/**
 * cachet_sender_service_get_outboxes:
 *
 * Returns: (transfer none): a #CachetOutboxModel per account, in the order of
 *   the accounts
 */
GListModel *
cachet_sender_service_get_outboxes (CachetSenderService *self)
{
  g_return_val_if_fail (CACHET_IS_SENDER_SERVICE (self), NULL);

  return G_LIST_MODEL (self->models);
}

/**
 * cachet_sender_service_get_outbox:
 * @account_id: the id of one of the accounts
 *
 * Returns: (transfer none) (nullable): the account's outbox
 */
CachetOutbox *
cachet_sender_service_get_outbox (CachetSenderService *self,
                                  const char          *account_id)
{
  AccountOutbox *outbox;

  g_return_val_if_fail (CACHET_IS_SENDER_SERVICE (self), NULL);

  outbox = g_hash_table_lookup (self->outboxes, account_id);
  return outbox != NULL ? outbox->outbox : NULL;
}

/**
 * cachet_sender_service_is_busy:
 *
 * Returns: whether an outbox is being sent right now
 */
gboolean
cachet_sender_service_is_busy (CachetSenderService *self)
{
  g_return_val_if_fail (CACHET_IS_SENDER_SERVICE (self), FALSE);

  return self->n_flushing > 0;
}

static void
cachet_sender_service_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  CachetSenderService *self = CACHET_SENDER_SERVICE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, cachet_sender_service_is_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cachet_sender_service_dispose (GObject *object)
{
  CachetSenderService *self = CACHET_SENDER_SERVICE (object);

  if (self->network != NULL)
    g_signal_handlers_disconnect_by_data (self->network, self);
  g_clear_object (&self->network);
  g_clear_pointer (&self->outboxes, g_hash_table_unref);
  g_clear_object (&self->models);
  g_clear_object (&self->accounts);
  g_clear_object (&self->credentials);

  G_OBJECT_CLASS (cachet_sender_service_parent_class)->dispose (object);
}

static void
cachet_sender_service_class_init (CachetSenderServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = cachet_sender_service_get_property;
  object_class->dispose = cachet_sender_service_dispose;

  /**
   * CachetSenderService:busy:
   *
   * Whether an outbox is being sent right now.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CachetSenderService::send-failed:
   * @account: the account that could not send
   * @subject: the message's subject, possibly empty
   * @reason: what went wrong, for the user
   * @next_attempt: when sending will be tried again, in seconds since the
   *   epoch, or 0 if the server refused the message for good and it waits
   *   in the outbox for the user to retry or cancel it
   *
   * A message could not be sent.
   */
  signals[SEND_FAILED] = g_signal_new ("send-failed",
                                       G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 4,
                                       CACHET_TYPE_ACCOUNT, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_INT64);
}

static void
cachet_sender_service_init (CachetSenderService *self)
{
  self->outboxes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) account_outbox_free);
  self->models = g_list_store_new (CACHET_TYPE_OUTBOX_MODEL);
}
