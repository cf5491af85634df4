/* cachet-directory-entry.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cachet-directory-entry.h"

/* One person or structure found in the directory, with all its mailboxes:
 * the extract has one row per mailbox, the directory groups them. */

struct _CachetDirectoryEntry
{
  GObject     parent_instance;

  gboolean    is_organisation;
  char       *civility;
  char       *first_name;
  char       *last_name;
  char       *profession;
  char       *specialty;
  char       *national_id;
  gboolean    is_online;
  GListStore *mailboxes;
};

G_DEFINE_FINAL_TYPE (CachetDirectoryEntry, cachet_directory_entry, G_TYPE_OBJECT)

static void
cachet_directory_entry_finalize (GObject *object)
{
  CachetDirectoryEntry *self = CACHET_DIRECTORY_ENTRY (object);

  g_free (self->civility);
  g_free (self->first_name);
  g_free (self->last_name);
  g_free (self->profession);
  g_free (self->specialty);
  g_free (self->national_id);
  g_clear_object (&self->mailboxes);

  G_OBJECT_CLASS (cachet_directory_entry_parent_class)->finalize (object);
}

static void
cachet_directory_entry_class_init (CachetDirectoryEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cachet_directory_entry_finalize;
}

static void
cachet_directory_entry_init (CachetDirectoryEntry *self)
{
  self->mailboxes = g_list_store_new (CACHET_TYPE_DIRECTORY_MAILBOX);
}

/**
 * cachet_directory_entry_new:
 * @details: who or what the entry is
 *
 * Returns: (transfer full): a new entry, without mailboxes yet
 */
CachetDirectoryEntry *
cachet_directory_entry_new (const CachetDirectoryEntryDetails *details)
{
  CachetDirectoryEntry *self = g_object_new (CACHET_TYPE_DIRECTORY_ENTRY, NULL);

  self->is_organisation = details->is_organisation;
  self->civility = g_strdup (details->civility);
  self->first_name = g_strdup (details->first_name);
  self->last_name = g_strdup (details->last_name);
  self->profession = g_strdup (details->profession);
  self->specialty = g_strdup (details->specialty);
  self->national_id = g_strdup (details->national_id);
  self->is_online = details->is_online;
  return self;
}

void
cachet_directory_entry_add_mailbox (CachetDirectoryEntry   *self,
                                    CachetDirectoryMailbox *mailbox)
{
  g_return_if_fail (CACHET_IS_DIRECTORY_ENTRY (self));
  g_return_if_fail (CACHET_IS_DIRECTORY_MAILBOX (mailbox));

  g_list_store_append (self->mailboxes, mailbox);
}

gboolean
cachet_directory_entry_is_organisation (CachetDirectoryEntry *self)
{
  g_return_val_if_fail (CACHET_IS_DIRECTORY_ENTRY (self), FALSE);
  return self->is_organisation;
}

const char *
cachet_directory_entry_get_civility (CachetDirectoryEntry *self)
{
  g_return_val_if_fail (CACHET_IS_DIRECTORY_ENTRY (self), NULL);
  return self->civility;
}

const char *
cachet_directory_entry_get_first_name (CachetDirectoryEntry *self)
{
  g_return_val_if_fail (CACHET_IS_DIRECTORY_ENTRY (self), NULL);
  return self->first_name;
}

const char *
cachet_directory_entry_get_last_name (CachetDirectoryEntry *self)
{
  g_return_val_if_fail (CACHET_IS_DIRECTORY_ENTRY (self), NULL);
  return self->last_name;
}

/**
 * cachet_directory_entry_dup_name:
 *
 * Returns: (transfer full): the name to show: "First LAST" for a person, the
 *   structure's name otherwise
 */
char *
cachet_directory_entry_dup_name (CachetDirectoryEntry *self)
{
  g_return_val_if_fail (CACHET_IS_DIRECTORY_ENTRY (self), NULL);

  if (self->first_name[0] == '\0')
    return g_strdup (self->last_name);
  return g_strconcat (self->first_name, " ", self->last_name, NULL);
}

const char *
cachet_directory_entry_get_profession (CachetDirectoryEntry *self)
{
  g_return_val_if_fail (CACHET_IS_DIRECTORY_ENTRY (self), NULL);
  return self->profession;
}

const char *
cachet_directory_entry_get_specialty (CachetDirectoryEntry *self)
{
  g_return_val_if_fail (CACHET_IS_DIRECTORY_ENTRY (self), NULL);
  return self->specialty;
}

const char *
cachet_directory_entry_get_national_id (CachetDirectoryEntry *self)
{
  g_return_val_if_fail (CACHET_IS_DIRECTORY_ENTRY (self), NULL);
  return self->national_id;
}

/**
 * cachet_directory_entry_get_mailboxes:
 *
 * Returns: (transfer none): the entry's #CachetDirectoryMailbox list
 */
GListModel *
cachet_directory_entry_get_mailboxes (CachetDirectoryEntry *self)
{
  g_return_val_if_fail (CACHET_IS_DIRECTORY_ENTRY (self), NULL);
  return G_LIST_MODEL (self->mailboxes);
}

gboolean
cachet_directory_entry_is_online (CachetDirectoryEntry *self)
{
  g_return_val_if_fail (CACHET_IS_DIRECTORY_ENTRY (self), FALSE);
  return self->is_online;
}

/* National ids and addresses (lower case) of @entry into @seen. */
static void
add_keys (GHashTable           *seen,
          CachetDirectoryEntry *entry)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (entry->mailboxes)); i++)
    {
      g_autoptr(CachetDirectoryMailbox) mailbox = g_list_model_get_item (G_LIST_MODEL (entry->mailboxes), i);

      g_hash_table_add (seen, g_ascii_strdown (cachet_directory_mailbox_get_address (mailbox), -1));
    }
  if (entry->national_id[0] != '\0')
    g_hash_table_add (seen, g_strdup (entry->national_id));
}

static gboolean
has_key (GHashTable           *seen,
         CachetDirectoryEntry *entry)
{
  if (entry->national_id[0] != '\0' && g_hash_table_contains (seen, entry->national_id))
    return TRUE;
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (entry->mailboxes)); i++)
    {
      g_autoptr(CachetDirectoryMailbox) mailbox = g_list_model_get_item (G_LIST_MODEL (entry->mailboxes), i);
      g_autofree char *address = g_ascii_strdown (cachet_directory_mailbox_get_address (mailbox), -1);

      if (g_hash_table_contains (seen, address))
        return TRUE;
    }
  return FALSE;
}

/**
 * cachet_directory_entries_append_new:
 * @store: a #GListStore of #CachetDirectoryEntry
 * @entries: a #GListModel of #CachetDirectoryEntry
 *
 * Appends to @store, in their order, those of @entries it does not have
 * yet: an entry is left out when its national id (RPPS, ADELI) or one of
 * its MSSanté addresses is listed already, in @store or earlier in
 * @entries. What is listed first wins: the offline results, which the rest
 * of Cachet shows, before the online ones.
 *
 * Returns: how many entries were appended
 */
guint
cachet_directory_entries_append_new (GListStore *store,
                                     GListModel *entries)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint appended = 0;

  g_return_val_if_fail (G_IS_LIST_STORE (store), 0);
  g_return_val_if_fail (G_IS_LIST_MODEL (entries), 0);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (store)); i++)
    {
      g_autoptr(CachetDirectoryEntry) entry = g_list_model_get_item (G_LIST_MODEL (store), i);

      add_keys (seen, entry);
    }
  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(CachetDirectoryEntry) entry = g_list_model_get_item (entries, i);

      if (has_key (seen, entry))
        continue;
      add_keys (seen, entry);
      g_list_store_append (store, entry);
      appended++;
    }
  return appended;
}
