/* cachet-folder.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cachet-folder-private.h"

/* A folder as lists show it. The folder list keeps one object per folder
 * across reloads and updates its counts in place, so that a selected folder
 * stays selected while mail comes and goes. */

struct _CachetFolder
{
  GObject  parent_instance;

  char    *name;
  char    *special_use;
  guint    unread_count;
};

G_DEFINE_FINAL_TYPE (CachetFolder, cachet_folder, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_SPECIAL_USE,
  PROP_UNREAD_COUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * cachet_folder_new_from_info:
 * @info: a folder of the index
 *
 * Returns: (transfer full): a snapshot of @info
 */
CachetFolder *
cachet_folder_new_from_info (const CachetFolderInfo *info)
{
  CachetFolder *self = g_object_new (CACHET_TYPE_FOLDER, NULL);

  self->name = g_strdup (info->name);
  self->special_use = g_strdup (info->special_use);
  self->unread_count = info->unread_count;

  return self;
}

/* Brings @self up to @info, a newer state of the same folder. */
void
_cachet_folder_update (CachetFolder           *self,
                       const CachetFolderInfo *info)
{
  g_return_if_fail (CACHET_IS_FOLDER (self));
  g_return_if_fail (g_strcmp0 (self->name, info->name) == 0);

  if (g_strcmp0 (self->special_use, info->special_use) != 0)
    {
      g_free (self->special_use);
      self->special_use = g_strdup (info->special_use);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPECIAL_USE]);
    }
  if (self->unread_count != info->unread_count)
    {
      self->unread_count = info->unread_count;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNREAD_COUNT]);
    }
}

/**
 * cachet_folder_get_name:
 *
 * Returns: (transfer none): the folder's name on the server, in UTF-8
 */
const char *
cachet_folder_get_name (CachetFolder *self)
{
  g_return_val_if_fail (CACHET_IS_FOLDER (self), NULL);
  return self->name;
}

/**
 * cachet_folder_get_display_name:
 *
 * Returns: the name to show: the server's name, but the inbox's in the
 *   user's language, since IMAP calls it "INBOX" on every server.
 */
const char *
cachet_folder_get_display_name (CachetFolder *self)
{
  g_return_val_if_fail (CACHET_IS_FOLDER (self), NULL);

  if (g_ascii_strcasecmp (self->name, "INBOX") == 0)
    return _("Inbox");
  return self->name;
}

/**
 * cachet_folder_get_special_use:
 *
 * Returns: (transfer none) (nullable): the RFC 6154 use, such as `\Sent`
 */
const char *
cachet_folder_get_special_use (CachetFolder *self)
{
  g_return_val_if_fail (CACHET_IS_FOLDER (self), NULL);
  return self->special_use;
}

guint
cachet_folder_get_unread_count (CachetFolder *self)
{
  g_return_val_if_fail (CACHET_IS_FOLDER (self), 0);
  return self->unread_count;
}

/* Where a folder goes in a list: the inbox, then the special folders in the
 * order mail clients agree on, then the others. */
static guint
folder_rank (CachetFolder *self)
{
  static const char *const special_order[] = {
    "\\Drafts", "\\Sent", "\\Archive", "\\Flagged", "\\Junk", "\\Trash", "\\All",
  };

  if (g_ascii_strcasecmp (self->name, "INBOX") == 0)
    return 0;
  for (guint i = 0; self->special_use != NULL && i < G_N_ELEMENTS (special_order); i++)
    {
      if (g_ascii_strcasecmp (self->special_use, special_order[i]) == 0)
        return 1 + i;
    }
  return 1 + G_N_ELEMENTS (special_order);
}

/**
 * cachet_folder_compare:
 *
 * Returns: the order of two folders in a list
 */
int
cachet_folder_compare (CachetFolder *a,
                       CachetFolder *b)
{
  guint rank_a = folder_rank (a);
  guint rank_b = folder_rank (b);
  g_autofree char *key_a = NULL;
  g_autofree char *key_b = NULL;

  if (rank_a != rank_b)
    return rank_a < rank_b ? -1 : 1;

  key_a = g_utf8_collate_key_for_filename (a->name, -1);
  key_b = g_utf8_collate_key_for_filename (b->name, -1);
  return strcmp (key_a, key_b);
}

static void
cachet_folder_finalize (GObject *object)
{
  CachetFolder *self = CACHET_FOLDER (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->special_use, g_free);

  G_OBJECT_CLASS (cachet_folder_parent_class)->finalize (object);
}

static void
cachet_folder_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CachetFolder *self = CACHET_FOLDER (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_SPECIAL_USE:
      g_value_set_string (value, self->special_use);
      break;
    case PROP_UNREAD_COUNT:
      g_value_set_uint (value, self->unread_count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cachet_folder_class_init (CachetFolderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cachet_folder_finalize;
  object_class->get_property = cachet_folder_get_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_SPECIAL_USE] = g_param_spec_string ("special-use", NULL, NULL, NULL, flags);
  properties[PROP_UNREAD_COUNT] = g_param_spec_uint ("unread-count", NULL, NULL, 0, G_MAXUINT, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cachet_folder_init (CachetFolder *self)
{
}
