/* cachet-outbox-item.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cachet-outbox-item.h"

/* One message of an outbox as it stood when the outbox was last read: a
 * snapshot, replaced as a whole when the outbox changes. */

struct _CachetOutboxItem
{
  GObject            parent_instance;

  char              *account_id;
  CachetOutboxEntry *entry;
};

G_DEFINE_FINAL_TYPE (CachetOutboxItem, cachet_outbox_item, G_TYPE_OBJECT)

/**
 * cachet_outbox_item_new:
 * @account_id: the id of the account whose outbox holds the message
 * @entry: the message's entry, copied
 *
 * Returns: (transfer full): the item
 */
CachetOutboxItem *
cachet_outbox_item_new (const char              *account_id,
                        const CachetOutboxEntry *entry)
{
  CachetOutboxItem *self;

  g_return_val_if_fail (account_id != NULL, NULL);
  g_return_val_if_fail (entry != NULL, NULL);

  self = g_object_new (CACHET_TYPE_OUTBOX_ITEM, NULL);
  self->account_id = g_strdup (account_id);
  self->entry = cachet_outbox_entry_copy (entry);

  return self;
}

const char *
cachet_outbox_item_get_account_id (CachetOutboxItem *self)
{
  g_return_val_if_fail (CACHET_IS_OUTBOX_ITEM (self), NULL);

  return self->account_id;
}

/**
 * cachet_outbox_item_get_entry:
 *
 * Returns: (transfer none): the entry; copy it before changing it
 */
const CachetOutboxEntry *
cachet_outbox_item_get_entry (CachetOutboxItem *self)
{
  g_return_val_if_fail (CACHET_IS_OUTBOX_ITEM (self), NULL);

  return self->entry;
}

/**
 * cachet_outbox_item_dup_recipients:
 *
 * Returns: (transfer full): the recipients, separated by commas
 */
char *
cachet_outbox_item_dup_recipients (CachetOutboxItem *self)
{
  g_return_val_if_fail (CACHET_IS_OUTBOX_ITEM (self), NULL);

  return g_strjoinv (", ", self->entry->recipients);
}

static void
cachet_outbox_item_finalize (GObject *object)
{
  CachetOutboxItem *self = CACHET_OUTBOX_ITEM (object);

  g_clear_pointer (&self->account_id, g_free);
  g_clear_pointer (&self->entry, cachet_outbox_entry_free);

  G_OBJECT_CLASS (cachet_outbox_item_parent_class)->finalize (object);
}

static void
cachet_outbox_item_class_init (CachetOutboxItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cachet_outbox_item_finalize;
}

static void
cachet_outbox_item_init (CachetOutboxItem *self)
{
}
