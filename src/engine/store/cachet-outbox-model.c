/* cachet-outbox-model.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cachet-outbox-model.h"

/* The messages of one account's outbox, oldest first, as a list of
 * CachetOutboxItem. It follows the changes made through its CachetOutbox at
 * once, and those made by another process (the command line) through a
 * monitor on the folder. Changes come in bursts (a flush writes each state
 * two or three times), so a reload waits for the main loop to be idle. */

struct _CachetOutboxModel
{
  GObject       parent_instance;

  CachetOutbox *outbox;
  char         *account_id;
  GPtrArray    *items;
  GFileMonitor *monitor;
  guint         reload_source;
};

static void cachet_outbox_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CachetOutboxModel, cachet_outbox_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, cachet_outbox_model_list_model_init))

static GType
cachet_outbox_model_get_item_type (GListModel *model)
{
  return CACHET_TYPE_OUTBOX_ITEM;
}

static guint
cachet_outbox_model_get_n_items (GListModel *model)
{
  return CACHET_OUTBOX_MODEL (model)->items->len;
}

static gpointer
cachet_outbox_model_get_item (GListModel *model,
                              guint       position)
{
  CachetOutboxModel *self = CACHET_OUTBOX_MODEL (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
cachet_outbox_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = cachet_outbox_model_get_item_type;
  iface->get_n_items = cachet_outbox_model_get_n_items;
  iface->get_item = cachet_outbox_model_get_item;
}

/**
 * cachet_outbox_model_reload:
 * @error: return location for a #GError
 *
 * Reads the outbox again. On error the items are kept as they were.
 */
gboolean
cachet_outbox_model_reload (CachetOutboxModel  *self,
                            GError            **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) old_items = NULL;

  g_return_val_if_fail (CACHET_IS_OUTBOX_MODEL (self), FALSE);

  g_clear_handle_id (&self->reload_source, g_source_remove);
  entries = cachet_outbox_list (self->outbox, error);
  if (entries == NULL)
    return FALSE;

  old_items = g_steal_pointer (&self->items);
  self->items = g_ptr_array_new_full (entries->len, g_object_unref);
  for (guint i = 0; i < entries->len; i++)
    g_ptr_array_add (self->items, cachet_outbox_item_new (self->account_id, g_ptr_array_index (entries, i)));
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_items->len, self->items->len);

  return TRUE;
}

static gboolean
reload_cb (gpointer user_data)
{
  CachetOutboxModel *self = user_data;
  g_autoptr(GError) error = NULL;

  self->reload_source = 0;
  if (!cachet_outbox_model_reload (self, &error))
    g_warning ("Cannot read the outbox: %s", error->message);
  return G_SOURCE_REMOVE;
}

static void
schedule_reload (CachetOutboxModel *self)
{
  if (self->reload_source == 0)
    self->reload_source = g_idle_add (reload_cb, self);
}

/**
 * cachet_outbox_model_new:
 * @outbox: the outbox to list
 * @account_id: the id of its account, given to each item
 *
 * Returns: (transfer full): the model, already filled (empty if the outbox
 *   cannot be read, with a warning)
 */
CachetOutboxModel *
cachet_outbox_model_new (CachetOutbox *outbox,
                         const char   *account_id)
{
  CachetOutboxModel *self;
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (CACHET_IS_OUTBOX (outbox), NULL);
  g_return_val_if_fail (account_id != NULL, NULL);

  self = g_object_new (CACHET_TYPE_OUTBOX_MODEL, NULL);
  self->outbox = g_object_ref (outbox);
  self->account_id = g_strdup (account_id);
  g_signal_connect_object (outbox, "changed", G_CALLBACK (schedule_reload), self, G_CONNECT_SWAPPED);

  dir = g_file_new_for_path (cachet_outbox_get_dir (outbox));
  self->monitor = g_file_monitor_directory (dir, G_FILE_MONITOR_NONE, NULL, &error);
  if (self->monitor != NULL)
    g_signal_connect_object (self->monitor, "changed", G_CALLBACK (schedule_reload), self, G_CONNECT_SWAPPED);
  else
    g_debug ("Changes to the outbox by other programs will not be seen: %s", error->message);

  g_clear_error (&error);
  if (!cachet_outbox_model_reload (self, &error))
    g_warning ("Cannot read the outbox: %s", error->message);

  return self;
}

/**
 * cachet_outbox_model_get_outbox:
 *
 * Returns: (transfer none): the outbox listed
 */
CachetOutbox *
cachet_outbox_model_get_outbox (CachetOutboxModel *self)
{
  g_return_val_if_fail (CACHET_IS_OUTBOX_MODEL (self), NULL);

  return self->outbox;
}

const char *
cachet_outbox_model_get_account_id (CachetOutboxModel *self)
{
  g_return_val_if_fail (CACHET_IS_OUTBOX_MODEL (self), NULL);

  return self->account_id;
}

static void
cachet_outbox_model_dispose (GObject *object)
{
  CachetOutboxModel *self = CACHET_OUTBOX_MODEL (object);

  g_clear_handle_id (&self->reload_source, g_source_remove);
  if (self->monitor != NULL)
    g_file_monitor_cancel (self->monitor);
  g_clear_object (&self->monitor);
  g_clear_object (&self->outbox);

  G_OBJECT_CLASS (cachet_outbox_model_parent_class)->dispose (object);
}

static void
cachet_outbox_model_finalize (GObject *object)
{
  CachetOutboxModel *self = CACHET_OUTBOX_MODEL (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->account_id, g_free);

  G_OBJECT_CLASS (cachet_outbox_model_parent_class)->finalize (object);
}

static void
cachet_outbox_model_class_init (CachetOutboxModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cachet_outbox_model_dispose;
  object_class->finalize = cachet_outbox_model_finalize;
}

static void
cachet_outbox_model_init (CachetOutboxModel *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}
