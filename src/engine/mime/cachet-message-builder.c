/* cachet-message-builder.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cachet-gmime-autocleanups.h"
#include "cachet-message-builder.h"
#include "cachet-mime.h"

/* Composes a new message the way every receiver reads it: UTF-8 everywhere,
 * headers encoded per RFC 2047/2231 by GMime, text in quoted-printable only
 * when it is not plain ASCII, attachments in base64, CRLF line ends, a fresh
 * Message-ID and the current date. */

typedef struct
{
  char   *filename;
  char   *content_type;
  GBytes *data;
} Attachment;

struct _CachetMessageBuilder
{
  GObject    parent_instance;

  char      *from_name;
  char      *from_address;
  GPtrArray *to;
  GPtrArray *cc;
  char      *subject;
  char      *body;
  GPtrArray *attachments;
};

G_DEFINE_FINAL_TYPE (CachetMessageBuilder, cachet_message_builder, G_TYPE_OBJECT)

static void
attachment_free (Attachment *attachment)
{
  g_free (attachment->filename);
  g_free (attachment->content_type);
  g_bytes_unref (attachment->data);
  g_free (attachment);
}

/**
 * cachet_message_builder_new:
 * @from_name: (nullable): the sender's display name
 * @from_address: the sender's address
 *
 * Returns: (transfer full): a builder for one message
 */
CachetMessageBuilder *
cachet_message_builder_new (const char *from_name,
                            const char *from_address)
{
  CachetMessageBuilder *self;

  g_return_val_if_fail (from_address != NULL, NULL);

  self = g_object_new (CACHET_TYPE_MESSAGE_BUILDER, NULL);
  self->from_name = g_strdup (from_name);
  self->from_address = g_strdup (from_address);

  return self;
}

void
cachet_message_builder_add_to (CachetMessageBuilder *self,
                               const char           *address)
{
  g_return_if_fail (CACHET_IS_MESSAGE_BUILDER (self));
  g_ptr_array_add (self->to, g_strdup (address));
}

void
cachet_message_builder_add_cc (CachetMessageBuilder *self,
                               const char           *address)
{
  g_return_if_fail (CACHET_IS_MESSAGE_BUILDER (self));
  g_ptr_array_add (self->cc, g_strdup (address));
}

void
cachet_message_builder_set_subject (CachetMessageBuilder *self,
                                    const char           *subject)
{
  g_return_if_fail (CACHET_IS_MESSAGE_BUILDER (self));
  g_free (self->subject);
  self->subject = g_strdup (subject);
}

void
cachet_message_builder_set_body (CachetMessageBuilder *self,
                                 const char           *text)
{
  g_return_if_fail (CACHET_IS_MESSAGE_BUILDER (self));
  g_free (self->body);
  self->body = g_strdup (text);
}

/**
 * cachet_message_builder_add_attachment:
 * @file: a local file
 *
 * Reads @file now, so that the message sent is the file as it was when the
 * user attached it.
 *
 * Returns: %TRUE on success
 */
gboolean
cachet_message_builder_add_attachment (CachetMessageBuilder  *self,
                                       GFile                 *file,
                                       GCancellable          *cancellable,
                                       GError               **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autofree char *content_type = NULL;
  Attachment *attachment;

  g_return_val_if_fail (CACHET_IS_MESSAGE_BUILDER (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                            G_FILE_QUERY_INFO_NONE, cancellable, error);
  if (info == NULL)
    return FALSE;
  if (g_file_info_get_size (info) > CACHET_MESSAGE_BUILDER_MAX_ATTACHMENT_SIZE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("“%s” is too large to send by mail (more than %d MB)."),
                   g_file_info_get_display_name (info),
                   CACHET_MESSAGE_BUILDER_MAX_ATTACHMENT_SIZE / (1024 * 1024));
      return FALSE;
    }
  data = g_file_load_bytes (file, cancellable, NULL, error);
  if (data == NULL)
    return FALSE;

  content_type = g_content_type_guess (g_file_info_get_display_name (info),
                                       g_bytes_get_data (data, NULL), g_bytes_get_size (data), NULL);
  attachment = g_new0 (Attachment, 1);
  attachment->filename = g_strdup (g_file_info_get_display_name (info));
  attachment->content_type = g_content_type_get_mime_type (content_type);
  if (attachment->content_type == NULL)
    attachment->content_type = g_strdup ("application/octet-stream");
  attachment->data = g_steal_pointer (&data);
  g_ptr_array_add (self->attachments, attachment);

  return TRUE;
}

/**
 * cachet_message_builder_dup_recipients:
 *
 * Returns: (transfer full): every To and Cc address, for the SMTP envelope
 */
GStrv
cachet_message_builder_dup_recipients (CachetMessageBuilder *self)
{
  g_autoptr(GStrvBuilder) recipients = g_strv_builder_new ();

  g_return_val_if_fail (CACHET_IS_MESSAGE_BUILDER (self), NULL);

  for (guint i = 0; i < self->to->len; i++)
    g_strv_builder_add (recipients, g_ptr_array_index (self->to, i));
  for (guint i = 0; i < self->cc->len; i++)
    g_strv_builder_add (recipients, g_ptr_array_index (self->cc, i));

  return g_strv_builder_end (recipients);
}

/* An address goes into headers and the SMTP envelope: nothing that could
 * end a line, open another address or hide a second one. */
static gboolean
check_address (const char  *address,
               GError     **error)
{
  const char *at = address != NULL ? strrchr (address, '@') : NULL;

  if (at != NULL && at != address && at[1] != '\0' && g_utf8_validate (address, -1, NULL) &&
      strpbrk (address, " \t\r\n<>,;\"()[]\\") == NULL)
    {
      for (const char *p = address; *p != '\0'; p++)
        {
          if ((guchar) *p < 0x20 || *p == 0x7f)
            goto invalid;
        }
      return TRUE;
    }

invalid:
  g_set_error (error, CACHET_MIME_ERROR, CACHET_MIME_ERROR_INVALID,
               _("“%s” is not a mail address. Addresses look like name@example.org."),
               address != NULL ? address : "");
  return FALSE;
}

static gboolean
add_addresses (GMimeMessage      *message,
               GMimeAddressType   type,
               GPtrArray         *addresses,
               GError           **error)
{
  InternetAddressList *list = g_mime_message_get_addresses (message, type);

  for (guint i = 0; i < addresses->len; i++)
    {
      const char *address = g_ptr_array_index (addresses, i);

      if (!check_address (address, error))
        return FALSE;
      internet_address_list_add (list, internet_address_mailbox_new (NULL, address));
    }
  return TRUE;
}

static GMimeObject *
build_text_part (const char *text)
{
  GMimeTextPart *part = g_mime_text_part_new_with_subtype ("plain");

  g_mime_text_part_set_text (part, text != NULL ? text : "");
  /* 7bit when the text allows it, quoted-printable otherwise: readable in
   * the raw message and safe through any relay. */
  g_mime_part_set_content_encoding (GMIME_PART (part),
                                    g_mime_part_get_best_content_encoding (GMIME_PART (part),
                                                                           GMIME_ENCODING_CONSTRAINT_7BIT));
  return GMIME_OBJECT (part);
}

static GMimeObject *
build_attachment_part (Attachment *attachment)
{
  g_autoptr(GMimeContentType) type = g_mime_content_type_parse (NULL, attachment->content_type);
  g_autoptr(GMimeStream) stream = g_mime_stream_mem_new_with_byte_array (
    g_byte_array_append (g_byte_array_new (), g_bytes_get_data (attachment->data, NULL),
                         g_bytes_get_size (attachment->data)));
  g_autoptr(GMimeDataWrapper) content = g_mime_data_wrapper_new_with_stream (stream, GMIME_CONTENT_ENCODING_DEFAULT);
  GMimePart *part = g_mime_part_new_with_type (g_mime_content_type_get_media_type (type),
                                               g_mime_content_type_get_media_subtype (type));

  g_mime_part_set_content (part, content);
  g_mime_part_set_filename (part, attachment->filename);
  g_mime_part_set_content_encoding (part, GMIME_CONTENT_ENCODING_BASE64);
  g_mime_object_set_disposition (GMIME_OBJECT (part), GMIME_DISPOSITION_ATTACHMENT);

  return GMIME_OBJECT (part);
}

/**
 * cachet_message_builder_build:
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the message, ready to send, or %NULL
 *   when an address is invalid or there is no recipient
 */
GBytes *
cachet_message_builder_build (CachetMessageBuilder  *self,
                              GError               **error)
{
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GMimeObject) body = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GMimeStream) output = NULL;
  g_autofree char *message_id = NULL;
  GMimeFormatOptions *format;
  GByteArray *bytes;

  g_return_val_if_fail (CACHET_IS_MESSAGE_BUILDER (self), NULL);

  cachet_mime_init ();

  if (self->to->len + self->cc->len == 0)
    {
      g_set_error_literal (error, CACHET_MIME_ERROR, CACHET_MIME_ERROR_INVALID,
                           _("The message has no recipient. Add at least one address."));
      return NULL;
    }
  if (!check_address (self->from_address, error))
    return NULL;

  message = g_mime_message_new (TRUE);
  internet_address_list_add (g_mime_message_get_from (message),
                             internet_address_mailbox_new (self->from_name, self->from_address));
  if (!add_addresses (message, GMIME_ADDRESS_TYPE_TO, self->to, error) ||
      !add_addresses (message, GMIME_ADDRESS_TYPE_CC, self->cc, error))
    return NULL;
  g_mime_message_set_subject (message, self->subject != NULL ? self->subject : "", "utf-8");
  g_mime_message_set_date (message, now);
  message_id = g_mime_utils_generate_message_id (strrchr (self->from_address, '@') + 1);
  g_mime_message_set_message_id (message, message_id);

  if (self->attachments->len == 0)
    {
      body = build_text_part (self->body);
    }
  else
    {
      GMimeMultipart *mixed = g_mime_multipart_new_with_subtype ("mixed");
      g_autoptr(GMimeObject) text = build_text_part (self->body);

      g_mime_multipart_add (mixed, text);
      for (guint i = 0; i < self->attachments->len; i++)
        {
          g_autoptr(GMimeObject) part = build_attachment_part (g_ptr_array_index (self->attachments, i));

          g_mime_multipart_add (mixed, part);
        }
      body = GMIME_OBJECT (mixed);
    }
  g_mime_message_set_mime_part (message, body);

  format = g_mime_format_options_clone (g_mime_format_options_get_default ());
  g_mime_format_options_set_newline_format (format, GMIME_NEWLINE_FORMAT_DOS);
  output = g_mime_stream_mem_new ();
  g_mime_object_write_to_stream (GMIME_OBJECT (message), format, output);
  g_mime_format_options_free (format);

  bytes = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (output));
  return g_bytes_new (bytes->data, bytes->len);
}

static void
cachet_message_builder_finalize (GObject *object)
{
  CachetMessageBuilder *self = CACHET_MESSAGE_BUILDER (object);

  g_clear_pointer (&self->from_name, g_free);
  g_clear_pointer (&self->from_address, g_free);
  g_clear_pointer (&self->to, g_ptr_array_unref);
  g_clear_pointer (&self->cc, g_ptr_array_unref);
  g_clear_pointer (&self->subject, g_free);
  g_clear_pointer (&self->body, g_free);
  g_clear_pointer (&self->attachments, g_ptr_array_unref);

  G_OBJECT_CLASS (cachet_message_builder_parent_class)->finalize (object);
}

static void
cachet_message_builder_class_init (CachetMessageBuilderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cachet_message_builder_finalize;
}

static void
cachet_message_builder_init (CachetMessageBuilder *self)
{
  self->to = g_ptr_array_new_with_free_func (g_free);
  self->cc = g_ptr_array_new_with_free_func (g_free);
  self->attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) attachment_free);
}
