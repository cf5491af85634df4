/* cachet-folder-list.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cachet-folder-list.h"
#include "cachet-folder-private.h"

/* The folders of one account's index, in the order lists show them. A
 * handful of rows: reloading replaces them all. */

struct _CachetFolderList
{
  GObject      parent_instance;

  CachetStore *store;
  GPtrArray   *folders;
};

static void cachet_folder_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CachetFolderList, cachet_folder_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      cachet_folder_list_model_init))

/**
 * cachet_folder_list_new:
 * @store: an account's store
 *
 * Returns: (transfer full): an empty list; call cachet_folder_list_reload()
 */
CachetFolderList *
cachet_folder_list_new (CachetStore *store)
{
  CachetFolderList *self;

  g_return_val_if_fail (CACHET_IS_STORE (store), NULL);

  self = g_object_new (CACHET_TYPE_FOLDER_LIST, NULL);
  self->store = g_object_ref (store);

  return self;
}

static int
compare_folders (gconstpointer a,
                 gconstpointer b)
{
  return cachet_folder_compare (*(CachetFolder **) a, *(CachetFolder **) b);
}

/**
 * cachet_folder_list_reload:
 * @error: return location for a #GError
 *
 * Reads the folders and their counts again from the index.
 *
 * Returns: %TRUE on success; on failure the list is unchanged
 */
gboolean
cachet_folder_list_reload (CachetFolderList  *self,
                           GError           **error)
{
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(GPtrArray) folders = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) known = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean same_folders;
  guint removed;

  g_return_val_if_fail (CACHET_IS_FOLDER_LIST (self), FALSE);

  if ((infos = cachet_store_list_folders (self->store, error)) == NULL)
    return FALSE;

  /* Folders already listed keep their objects, updated in place. */
  for (guint i = 0; i < self->folders->len; i++)
    {
      CachetFolder *folder = g_ptr_array_index (self->folders, i);

      g_hash_table_insert (known, (gpointer) cachet_folder_get_name (folder), folder);
    }
  for (guint i = 0; i < infos->len; i++)
    {
      const CachetFolderInfo *info = g_ptr_array_index (infos, i);
      CachetFolder *folder = g_hash_table_lookup (known, info->name);

      if (folder != NULL)
        {
          _cachet_folder_update (folder, info);
          g_ptr_array_add (folders, g_object_ref (folder));
        }
      else
        g_ptr_array_add (folders, cachet_folder_new_from_info (info));
    }
  g_ptr_array_sort (folders, compare_folders);

  same_folders = folders->len == self->folders->len;
  for (guint i = 0; same_folders && i < folders->len; i++)
    same_folders = g_ptr_array_index (folders, i) == g_ptr_array_index (self->folders, i);
  if (same_folders)
    return TRUE;

  removed = self->folders->len;
  g_ptr_array_unref (self->folders);
  self->folders = g_steal_pointer (&folders);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->folders->len);

  return TRUE;
}

static GType
cachet_folder_list_get_item_type (GListModel *model)
{
  return CACHET_TYPE_FOLDER;
}

static guint
cachet_folder_list_get_n_items (GListModel *model)
{
  return CACHET_FOLDER_LIST (model)->folders->len;
}

static gpointer
cachet_folder_list_get_item (GListModel *model,
                             guint       position)
{
  CachetFolderList *self = CACHET_FOLDER_LIST (model);

  if (position >= self->folders->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->folders, position));
}

static void
cachet_folder_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = cachet_folder_list_get_item_type;
  iface->get_n_items = cachet_folder_list_get_n_items;
  iface->get_item = cachet_folder_list_get_item;
}

static void
cachet_folder_list_finalize (GObject *object)
{
  CachetFolderList *self = CACHET_FOLDER_LIST (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->folders, g_ptr_array_unref);

  G_OBJECT_CLASS (cachet_folder_list_parent_class)->finalize (object);
}

static void
cachet_folder_list_class_init (CachetFolderListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cachet_folder_list_finalize;
}

static void
cachet_folder_list_init (CachetFolderList *self)
{
  self->folders = g_ptr_array_new_with_free_func (g_object_unref);
}
