/* cachet-attachment-row.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cachet-attachment-row.h"

/* One file attached to a message being written: its icon, name and size,
 * and a button that takes it off the message. */

struct _CachetAttachmentRow
{
  AdwActionRow              parent_instance;

  CachetComposerAttachment *attachment;

  /* Template widgets */
  GtkImage                 *icon;
  GtkButton                *remove_button;
};

G_DEFINE_FINAL_TYPE (CachetAttachmentRow, cachet_attachment_row, ADW_TYPE_ACTION_ROW)

enum
{
  SIGNAL_REMOVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/**
 * cachet_attachment_row_new:
 * @attachment: what the row shows
 *
 * Returns: (transfer floating): a row
 */
CachetAttachmentRow *
cachet_attachment_row_new (CachetComposerAttachment *attachment)
{
  CachetAttachmentRow *self;
  g_autoptr(GIcon) icon = NULL;
  g_autofree char *size = NULL;
  g_autofree char *remove_label = NULL;

  g_return_val_if_fail (CACHET_IS_COMPOSER_ATTACHMENT (attachment), NULL);

  self = g_object_new (CACHET_TYPE_ATTACHMENT_ROW, NULL);
  self->attachment = g_object_ref (attachment);

  icon = cachet_composer_attachment_get_icon (attachment);
  gtk_image_set_from_gicon (self->icon, icon);
  size = g_format_size (cachet_composer_attachment_get_size (attachment));
  /* A file name is not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), cachet_composer_attachment_get_file_name (attachment));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), size);
  /* Translators: the accessible name of the button that takes a file off
   * the message; %s is the file name. */
  remove_label = g_strdup_printf (_("Remove “%s”"), cachet_composer_attachment_get_file_name (attachment));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->remove_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label,
                                  -1);

  return self;
}

/**
 * cachet_attachment_row_get_attachment:
 *
 * Returns: (transfer none): the attachment shown
 */
CachetComposerAttachment *
cachet_attachment_row_get_attachment (CachetAttachmentRow *self)
{
  g_return_val_if_fail (CACHET_IS_ATTACHMENT_ROW (self), NULL);

  return self->attachment;
}

static void
remove_clicked_cb (CachetAttachmentRow *self)
{
  g_signal_emit (self, signals[SIGNAL_REMOVE], 0);
}

static void
cachet_attachment_row_dispose (GObject *object)
{
  CachetAttachmentRow *self = CACHET_ATTACHMENT_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), CACHET_TYPE_ATTACHMENT_ROW);
  g_clear_object (&self->attachment);

  G_OBJECT_CLASS (cachet_attachment_row_parent_class)->dispose (object);
}

static void
cachet_attachment_row_class_init (CachetAttachmentRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cachet_attachment_row_dispose;

  /**
   * CachetAttachmentRow::remove:
   *
   * The user asked to take the file off the message.
   */
  signals[SIGNAL_REMOVE] = g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/cachet-attachment-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CachetAttachmentRow, icon);
  gtk_widget_class_bind_template_child (widget_class, CachetAttachmentRow, remove_button);
  gtk_widget_class_bind_template_callback (widget_class, remove_clicked_cb);
}

static void
cachet_attachment_row_init (CachetAttachmentRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
