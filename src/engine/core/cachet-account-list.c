/* cachet-account-list.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cachet-account-list.h"
#include "cachet-paths.h"

/* The accounts file is a GKeyFile with one group per account, named after the
 * account's id. It holds no secret, but it does say who the user is and which
 * servers they use, so it is written readable by its owner only. */

struct _CachetAccountList
{
  GObject    parent_instance;

  char      *path;
  GPtrArray *accounts;
  /* Set when the file could not be read: it is then never written over. */
  GError    *load_error;
};

static void cachet_account_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CachetAccountList, cachet_account_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      cachet_account_list_model_init))

/**
 * cachet_account_list_new:
 * @path: the accounts file
 *
 * Returns: (transfer full): an empty list; call cachet_account_list_load()
 */
CachetAccountList *
cachet_account_list_new (const char *path)
{
  CachetAccountList *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (CACHET_TYPE_ACCOUNT_LIST, NULL);
  self->path = g_strdup (path);

  return self;
}

/**
 * cachet_account_list_new_default:
 *
 * Returns: (transfer full): an empty list for the user's accounts file
 */
CachetAccountList *
cachet_account_list_new_default (void)
{
  g_autofree char *path = g_build_filename (cachet_paths_get_config_dir (), "accounts.ini", NULL);

  return cachet_account_list_new (path);
}

/**
 * cachet_account_list_load:
 * @error: return location for a #GError
 *
 * Reads the accounts file; a missing file means no account yet. A damaged
 * account fails the whole load rather than vanishing from the list, so that
 * saving the list again never drops it.
 *
 * Returns: %TRUE on success
 */
gboolean
cachet_account_list_load (CachetAccountList  *self,
                          GError            **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GPtrArray) loaded = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) groups = NULL;
  guint removed;

  g_return_val_if_fail (CACHET_IS_ACCOUNT_LIST (self), FALSE);

  if (!g_key_file_load_from_file (keyfile, self->path, G_KEY_FILE_KEEP_COMMENTS, &local_error))
    {
      if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_clear_error (&self->load_error);
          g_set_error (&self->load_error, CACHET_ACCOUNT_ERROR, CACHET_ACCOUNT_ERROR_CORRUPT,
                       _("Cannot read the accounts file “%s”: %s"), self->path, local_error->message);
          g_propagate_error (error, g_error_copy (self->load_error));
          return FALSE;
        }
      g_clear_error (&local_error);
    }

  groups = g_key_file_get_groups (keyfile, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      CachetAccount *account = cachet_account_new_from_keyfile (keyfile, groups[i], &local_error);

      if (account == NULL)
        {
          g_clear_error (&self->load_error);
          self->load_error = g_error_copy (local_error);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_ptr_array_add (loaded, account);
    }
  g_clear_error (&self->load_error);

  removed = self->accounts->len;
  g_ptr_array_unref (self->accounts);
  self->accounts = g_steal_pointer (&loaded);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->accounts->len);

  return TRUE;
}

static gboolean
cachet_account_list_save (CachetAccountList  *self,
                          GPtrArray          *accounts,
                          GError            **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autofree char *data = NULL;
  gsize length;

  if (self->load_error != NULL)
    {
      g_set_error (error, CACHET_ACCOUNT_ERROR, CACHET_ACCOUNT_ERROR_CORRUPT,
                   _("%s. Cachet will not change the accounts file until it is repaired or moved away."),
                   self->load_error->message);
      return FALSE;
    }

  for (guint i = 0; i < accounts->len; i++)
    cachet_account_save_to_keyfile (g_ptr_array_index (accounts, i), keyfile);
  data = g_key_file_to_data (keyfile, &length, NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot create the folder “%s”: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  /* Durable and atomic: after a crash the file holds either the old or the
   * new list, never a torn one. */
  return g_file_set_contents_full (self->path, data, length,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}

static CachetAccount *
find_by_name (GPtrArray  *accounts,
              const char *name)
{
  for (guint i = 0; i < accounts->len; i++)
    {
      CachetAccount *account = g_ptr_array_index (accounts, i);

      if (g_strcmp0 (cachet_account_get_name (account), name) == 0)
        return account;
    }
  return NULL;
}

/**
 * cachet_account_list_add:
 * @account: a new account
 * @error: return location for a #GError
 *
 * Validates @account, writes the accounts file with it, then adds it to the
 * list. Nothing changes when any step fails.
 *
 * Returns: %TRUE on success
 */
gboolean
cachet_account_list_add (CachetAccountList  *self,
                         CachetAccount      *account,
                         GError            **error)
{
  g_autoptr(GPtrArray) updated = NULL;

  g_return_val_if_fail (CACHET_IS_ACCOUNT_LIST (self), FALSE);
  g_return_val_if_fail (CACHET_IS_ACCOUNT (account), FALSE);

  if (!cachet_account_validate (account, error))
    return FALSE;
  if (find_by_name (self->accounts, cachet_account_get_name (account)) != NULL)
    {
      g_set_error (error, CACHET_ACCOUNT_ERROR, CACHET_ACCOUNT_ERROR_EXISTS,
                   _("An account is already called “%s”: choose another name"),
                   cachet_account_get_name (account));
      return FALSE;
    }

  updated = g_ptr_array_copy (self->accounts, (GCopyFunc) g_object_ref, NULL);
  g_ptr_array_set_free_func (updated, g_object_unref);
  g_ptr_array_add (updated, g_object_ref (account));
  if (!cachet_account_list_save (self, updated, error))
    return FALSE;

  g_ptr_array_add (self->accounts, g_object_ref (account));
  g_list_model_items_changed (G_LIST_MODEL (self), self->accounts->len - 1, 0, 1);

  return TRUE;
}

/**
 * cachet_account_list_save_changes:
 * @error: return location for a #GError
 *
 * Writes the accounts file after a setting of an account of the list
 * changed (cachet_account_set_lab_import() and the like).
 *
 * Returns: %TRUE on success
 */
gboolean
cachet_account_list_save_changes (CachetAccountList  *self,
                                  GError            **error)
{
  g_return_val_if_fail (CACHET_IS_ACCOUNT_LIST (self), FALSE);

  return cachet_account_list_save (self, self->accounts, error);
}

/**
 * cachet_account_list_remove:
 * @account: an account of the list
 * @error: return location for a #GError
 *
 * Writes the accounts file without @account, then removes it from the list.
 *
 * Returns: %TRUE on success
 */
gboolean
cachet_account_list_remove (CachetAccountList  *self,
                            CachetAccount      *account,
                            GError            **error)
{
  g_autoptr(GPtrArray) updated = NULL;
  guint position;

  g_return_val_if_fail (CACHET_IS_ACCOUNT_LIST (self), FALSE);
  g_return_val_if_fail (CACHET_IS_ACCOUNT (account), FALSE);

  if (!g_ptr_array_find (self->accounts, account, &position))
    {
      g_set_error (error, CACHET_ACCOUNT_ERROR, CACHET_ACCOUNT_ERROR_NOT_FOUND,
                   _("There is no account called “%s”"), cachet_account_get_name (account));
      return FALSE;
    }

  updated = g_ptr_array_copy (self->accounts, (GCopyFunc) g_object_ref, NULL);
  g_ptr_array_set_free_func (updated, g_object_unref);
  g_ptr_array_remove_index (updated, position);
  if (!cachet_account_list_save (self, updated, error))
    return FALSE;

  g_ptr_array_remove_index (self->accounts, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);

  return TRUE;
}

/**
 * cachet_account_list_find_by_name:
 * @name: the name the user gave the account
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the account, or %NULL with an error
 */
CachetAccount *
cachet_account_list_find_by_name (CachetAccountList  *self,
                                  const char         *name,
                                  GError            **error)
{
  CachetAccount *account;

  g_return_val_if_fail (CACHET_IS_ACCOUNT_LIST (self), NULL);

  account = find_by_name (self->accounts, name);
  if (account == NULL)
    {
      g_set_error (error, CACHET_ACCOUNT_ERROR, CACHET_ACCOUNT_ERROR_NOT_FOUND,
                   _("There is no account called “%s”"), name);
      return NULL;
    }

  return g_object_ref (account);
}

/**
 * cachet_account_list_lookup:
 * @id: an account id
 *
 * Returns: (transfer none) (nullable): the account of the list with @id
 */
CachetAccount *
cachet_account_list_lookup (CachetAccountList *self,
                            const char        *id)
{
  g_return_val_if_fail (CACHET_IS_ACCOUNT_LIST (self), NULL);

  for (guint i = 0; i < self->accounts->len; i++)
    {
      CachetAccount *account = g_ptr_array_index (self->accounts, i);

      if (g_strcmp0 (cachet_account_get_id (account), id) == 0)
        return account;
    }
  return NULL;
}

/**
 * cachet_account_list_has_id:
 * @id: an account id
 *
 * Returns: whether an account of the list has @id; what holds on to an
 *   account's resources asks this after the list changed
 */
gboolean
cachet_account_list_has_id (CachetAccountList *self,
                            const char        *id)
{
  return cachet_account_list_lookup (self, id) != NULL;
}

static GType
cachet_account_list_get_item_type (GListModel *model)
{
  return CACHET_TYPE_ACCOUNT;
}

static guint
cachet_account_list_get_n_items (GListModel *model)
{
  return CACHET_ACCOUNT_LIST (model)->accounts->len;
}

static gpointer
cachet_account_list_get_item (GListModel *model,
                              guint       position)
{
  CachetAccountList *self = CACHET_ACCOUNT_LIST (model);

  if (position >= self->accounts->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->accounts, position));
}

static void
cachet_account_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = cachet_account_list_get_item_type;
  iface->get_n_items = cachet_account_list_get_n_items;
  iface->get_item = cachet_account_list_get_item;
}

static void
cachet_account_list_finalize (GObject *object)
{
  CachetAccountList *self = CACHET_ACCOUNT_LIST (object);

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_error (&self->load_error);

  G_OBJECT_CLASS (cachet_account_list_parent_class)->finalize (object);
}

static void
cachet_account_list_class_init (CachetAccountListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cachet_account_list_finalize;
}

static void
cachet_account_list_init (CachetAccountList *self)
{
  self->accounts = g_ptr_array_new_with_free_func (g_object_unref);
}
