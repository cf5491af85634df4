/* cachet-composer-attachment.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cachet-composer-attachment.h"
#include "cachet-message-builder.h"
#include "cachet-mime.h"

/* A file attached to a message being written. Its content is read when it
 * is attached, so that what is sent is the file as the user chose it, even
 * if it changes or goes away before sending. */

struct _CachetComposerAttachment
{
  GObject  parent_instance;

  char    *file_name;
  char    *content_type;
  GBytes  *data;
};

G_DEFINE_FINAL_TYPE (CachetComposerAttachment, cachet_composer_attachment, G_TYPE_OBJECT)

/**
 * cachet_composer_attachment_new:
 * @file_name: the name the receiver sees
 * @content_type: (nullable): a MIME type, guessed when %NULL
 * @data: the content
 *
 * Returns: (transfer full): an attachment
 */
CachetComposerAttachment *
cachet_composer_attachment_new (const char *file_name,
                                const char *content_type,
                                GBytes     *data)
{
  CachetComposerAttachment *self;

  g_return_val_if_fail (file_name != NULL, NULL);
  g_return_val_if_fail (data != NULL, NULL);

  self = g_object_new (CACHET_TYPE_COMPOSER_ATTACHMENT, NULL);
  self->file_name = g_strdup (file_name);
  self->data = g_bytes_ref (data);
  self->content_type = content_type != NULL ? g_strdup (content_type)
                                             : cachet_mime_guess_content_type (file_name, data);

  return self;
}

/* Says which file, and what to do about it. */
static void
return_read_error (GTask  *task,
                   GFile  *file,
                   GError *error)
{
  g_autofree char *name = g_file_get_parse_name (file);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_prefix_error (&error, _("“%s” could not be attached; check that it still exists and that you may read it: "),
                    name);
  g_task_return_error (task, error);
}

static void
load_file_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GError) error = NULL;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME ","
                            G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, cancellable, &error);
  if (info == NULL)
    {
      return_read_error (task, file, g_steal_pointer (&error));
      return;
    }
  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                               _("“%s” is a folder. Attach the files it holds, or a compressed copy of it."),
                               g_file_info_get_display_name (info));
      return;
    }
  /* Checked before reading, so that a huge file is never loaded. */
  if (!cachet_message_builder_check_attachment_size (g_file_info_get_display_name (info),
                                                     (guint64) g_file_info_get_size (info), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data = g_file_load_bytes (file, cancellable, NULL, &error);
  if (data == NULL)
    {
      return_read_error (task, file, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task,
                         cachet_composer_attachment_new (g_file_info_get_display_name (info), NULL, data),
                         g_object_unref);
}

/**
 * cachet_composer_attachment_new_from_file_async:
 * @file: the file to attach
 *
 * Reads @file in a worker thread.
 */
void
cachet_composer_attachment_new_from_file_async (GFile               *file,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cachet_composer_attachment_new_from_file_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, load_file_thread);
}

/**
 * cachet_composer_attachment_new_from_file_finish:
 *
 * Returns: (transfer full) (nullable): the attachment, or %NULL when the file
 *   cannot be read or is too large
 */
CachetComposerAttachment *
cachet_composer_attachment_new_from_file_finish (GAsyncResult  *result,
                                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
cachet_composer_attachment_get_file_name (CachetComposerAttachment *self)
{
  g_return_val_if_fail (CACHET_IS_COMPOSER_ATTACHMENT (self), NULL);

  return self->file_name;
}

const char *
cachet_composer_attachment_get_content_type (CachetComposerAttachment *self)
{
  g_return_val_if_fail (CACHET_IS_COMPOSER_ATTACHMENT (self), NULL);

  return self->content_type;
}

/**
 * cachet_composer_attachment_get_data:
 *
 * Returns: (transfer none): the content
 */
GBytes *
cachet_composer_attachment_get_data (CachetComposerAttachment *self)
{
  g_return_val_if_fail (CACHET_IS_COMPOSER_ATTACHMENT (self), NULL);

  return self->data;
}

guint64
cachet_composer_attachment_get_size (CachetComposerAttachment *self)
{
  g_return_val_if_fail (CACHET_IS_COMPOSER_ATTACHMENT (self), 0);

  return g_bytes_get_size (self->data);
}

/**
 * cachet_composer_attachment_get_icon:
 *
 * Returns: (transfer full): an icon for the kind of file
 */
GIcon *
cachet_composer_attachment_get_icon (CachetComposerAttachment *self)
{
  g_autofree char *type = NULL;

  g_return_val_if_fail (CACHET_IS_COMPOSER_ATTACHMENT (self), NULL);

  type = g_content_type_from_mime_type (self->content_type);
  return g_content_type_get_symbolic_icon (type != NULL ? type : self->content_type);
}

static void
cachet_composer_attachment_finalize (GObject *object)
{
  CachetComposerAttachment *self = CACHET_COMPOSER_ATTACHMENT (object);

  g_clear_pointer (&self->file_name, g_free);
  g_clear_pointer (&self->content_type, g_free);
  g_clear_pointer (&self->data, g_bytes_unref);

  G_OBJECT_CLASS (cachet_composer_attachment_parent_class)->finalize (object);
}

static void
cachet_composer_attachment_class_init (CachetComposerAttachmentClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cachet_composer_attachment_finalize;
}

static void
cachet_composer_attachment_init (CachetComposerAttachment *self)
{
}
