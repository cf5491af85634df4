/* cachet-message-row.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cachet-message-row.h"

/* One line of the message list. Rows are recycled by the list view: every
 * call to cachet_message_row_set_info() sets every field. */

struct _CachetMessageRow
{
  GtkWidget  parent_instance;

  /* Template widgets */
  GtkLabel  *sender_label;
  GtkLabel  *date_label;
  GtkLabel  *subject_label;
  GtkWidget *attachment_icon;
  GtkWidget *signed_icon;
  GtkWidget *encrypted_icon;
};

G_DEFINE_FINAL_TYPE (CachetMessageRow, cachet_message_row, GTK_TYPE_WIDGET)

CachetMessageRow *
cachet_message_row_new (void)
{
  return g_object_new (CACHET_TYPE_MESSAGE_ROW, NULL);
}

/* Today's messages show the time; older ones the date. */
static char *
format_list_date (GDateTime *date)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (date == NULL)
    return g_strdup ("");
  local = g_date_time_to_local (date);
  if (g_date_time_get_year (local) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    return g_date_time_format (local, "%H:%M");
  return g_date_time_format (local, "%x");
}

/**
 * cachet_message_row_set_info:
 * @info: (nullable): the message to show, or %NULL for a row being recycled
 */
void
cachet_message_row_set_info (CachetMessageRow  *self,
                             CachetMessageInfo *info)
{
  const char *sender = NULL;
  const char *subject = NULL;
  g_autofree char *date = NULL;
  gboolean unread = FALSE;

  g_return_if_fail (CACHET_IS_MESSAGE_ROW (self));

  if (info != NULL)
    {
      sender = cachet_message_info_get_from_name (info);
      if (sender == NULL || *sender == '\0')
        sender = cachet_message_info_get_from_address (info);
      subject = cachet_message_info_get_subject (info);
      date = format_list_date (cachet_message_info_get_date (info));
      unread = (cachet_message_info_get_flags (info) & CACHET_MESSAGE_FLAG_SEEN) == 0;
    }

  gtk_label_set_text (self->sender_label, sender != NULL && *sender != '\0' ? sender : _("Unknown sender"));
  gtk_label_set_text (self->subject_label, subject != NULL && *subject != '\0' ? subject : _("No subject"));
  gtk_label_set_text (self->date_label, date != NULL ? date : "");
  gtk_widget_set_visible (self->attachment_icon, info != NULL && cachet_message_info_get_has_attachment (info));
  gtk_widget_set_visible (self->signed_icon, info != NULL && cachet_message_info_get_is_signed (info));
  gtk_widget_set_visible (self->encrypted_icon, info != NULL && cachet_message_info_get_is_encrypted (info));

  if (unread)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->sender_label), "heading");
      gtk_widget_add_css_class (GTK_WIDGET (self->subject_label), "heading");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->sender_label), "heading");
      gtk_widget_remove_css_class (GTK_WIDGET (self->subject_label), "heading");
    }
}

static void
cachet_message_row_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), CACHET_TYPE_MESSAGE_ROW);
  /* A plain GtkWidget parent unparents its children itself. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (cachet_message_row_parent_class)->dispose (object);
}

static void
cachet_message_row_class_init (CachetMessageRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cachet_message_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/cachet-message-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CachetMessageRow, sender_label);
  gtk_widget_class_bind_template_child (widget_class, CachetMessageRow, date_label);
  gtk_widget_class_bind_template_child (widget_class, CachetMessageRow, subject_label);
  gtk_widget_class_bind_template_child (widget_class, CachetMessageRow, attachment_icon);
  gtk_widget_class_bind_template_child (widget_class, CachetMessageRow, signed_icon);
  gtk_widget_class_bind_template_child (widget_class, CachetMessageRow, encrypted_icon);
}

static void
cachet_message_row_init (CachetMessageRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
