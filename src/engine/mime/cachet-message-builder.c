/* cachet-message-builder.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cachet-address.h"
#include "cachet-gmime-autocleanups.h"
#include "cachet-message-builder.h"
#include "cachet-message-summary.h"
#include "cachet-mime.h"

/* Composes a new message the way every receiver reads it: UTF-8 everywhere,
 * headers encoded per RFC 2047/2231 by GMime, text in quoted-printable only
 * when it is not plain ASCII, attachments in base64 (an attached message as
 * message/rfc822, which must not be encoded), CRLF line ends and the current
 * date. The Message-ID is chosen when the builder is made, so that a draft
 * keeps one id through every save and the message sent replaces it. */

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
  /* Indexed by CachetRecipientKind; CachetMessageAddress elements. */
  GPtrArray *recipients[3];
  char      *subject;
  char      *body;
  char      *message_id;
  char      *in_reply_to;
  GPtrArray *references;
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
  cachet_mime_init ();
  /* An address without a domain is refused at build time; the id only needs
   * to be unique. */
  self->message_id = g_mime_utils_generate_message_id (strrchr (from_address, '@') != NULL
                                                       ? strrchr (from_address, '@') + 1
                                                       : "localhost");

  return self;
}

/**
 * cachet_message_builder_add_recipient:
 * @kind: where the recipient goes
 * @name: (nullable): a display name
 * @address: the addr-spec; checked when the message is built
 */
void
cachet_message_builder_add_recipient (CachetMessageBuilder *self,
                                      CachetRecipientKind   kind,
                                      const char           *name,
                                      const char           *address)
{
  CachetMessageAddress *recipient;

  g_return_if_fail (CACHET_IS_MESSAGE_BUILDER (self));
  g_return_if_fail (kind <= CACHET_RECIPIENT_BCC);

  recipient = g_new0 (CachetMessageAddress, 1);
  recipient->name = g_strdup (name);
  recipient->address = g_strdup (address);
  g_ptr_array_add (self->recipients[kind], recipient);
}

void
cachet_message_builder_add_to (CachetMessageBuilder *self,
                               const char           *address)
{
  cachet_message_builder_add_recipient (self, CACHET_RECIPIENT_TO, NULL, address);
}

void
cachet_message_builder_add_cc (CachetMessageBuilder *self,
                               const char           *address)
{
  cachet_message_builder_add_recipient (self, CACHET_RECIPIENT_CC, NULL, address);
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

/* An id goes between angle brackets in a header: nothing that could close
 * them, end the line or need encoding. */
static gboolean
is_message_id (const char *id)
{
  if (id == NULL || *id == '\0')
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    {
      if ((guchar) *p <= 0x20 || (guchar) *p >= 0x7f || *p == '<' || *p == '>')
        return FALSE;
    }
  return TRUE;
}

/**
 * cachet_message_builder_get_message_id:
 *
 * Returns: the Message-ID the message will carry, without angle brackets
 */
const char *
cachet_message_builder_get_message_id (CachetMessageBuilder *self)
{
  g_return_val_if_fail (CACHET_IS_MESSAGE_BUILDER (self), NULL);

  return self->message_id;
}

/**
 * cachet_message_builder_set_message_id:
 * @message_id: an id without angle brackets, such as a draft's
 *
 * Keeps the id of a message composed earlier, so that what is saved or sent
 * replaces it.
 */
void
cachet_message_builder_set_message_id (CachetMessageBuilder *self,
                                       const char           *message_id)
{
  g_return_if_fail (CACHET_IS_MESSAGE_BUILDER (self));
  g_return_if_fail (is_message_id (message_id));

  g_free (self->message_id);
  self->message_id = g_strdup (message_id);
}

/**
 * cachet_message_builder_set_in_reply_to:
 * @message_id: (nullable): the id of the message replied to, without angle
 *   brackets
 *
 * An id that could not be written back safely is left out.
 */
void
cachet_message_builder_set_in_reply_to (CachetMessageBuilder *self,
                                        const char           *message_id)
{
  g_return_if_fail (CACHET_IS_MESSAGE_BUILDER (self));

  g_free (self->in_reply_to);
  self->in_reply_to = is_message_id (message_id) ? g_strdup (message_id) : NULL;
}

/**
 * cachet_message_builder_set_references:
 * @message_ids: (nullable) (array zero-terminated=1): the thread, oldest
 *   first, ending with the message replied to
 *
 * Keeps the first id and the latest ones, at most
 * %CACHET_MESSAGE_BUILDER_MAX_REFERENCES in all; ids that could not be
 * written back safely are left out.
 */
void
cachet_message_builder_set_references (CachetMessageBuilder *self,
                                       const char * const   *message_ids)
{
  guint length;

  g_return_if_fail (CACHET_IS_MESSAGE_BUILDER (self));

  g_ptr_array_set_size (self->references, 0);
  length = message_ids != NULL ? g_strv_length ((char **) message_ids) : 0;
  for (guint i = 0; i < length; i++)
    {
      if ((i > 0 && i + CACHET_MESSAGE_BUILDER_MAX_REFERENCES - 1 < length) || !is_message_id (message_ids[i]))
        continue;
      g_ptr_array_add (self->references, g_strdup (message_ids[i]));
    }
}

/**
 * cachet_message_builder_check_attachment_size:
 * @file_name: the file's name, for the message
 * @size: its size in bytes
 * @error: return location for a #GError
 *
 * Lets a caller refuse a file before reading it.
 *
 * Returns: %TRUE when a file of @size bytes can be attached
 */
gboolean
cachet_message_builder_check_attachment_size (const char  *file_name,
                                              guint64      size,
                                              GError     **error)
{
  if (size <= CACHET_MESSAGE_BUILDER_MAX_ATTACHMENT_SIZE)
    return TRUE;

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               _("“%s” is too large to send by mail (more than %d MB)."),
               file_name, CACHET_MESSAGE_BUILDER_MAX_ATTACHMENT_SIZE / (1024 * 1024));
  return FALSE;
}

/**
 * cachet_message_builder_add_attachment_bytes:
 * @file_name: the name the receiver sees
 * @content_type: (nullable): a MIME type, guessed from @file_name and @data
 *   when %NULL
 * @data: the content
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success, %FALSE when @data is too large
 */
gboolean
cachet_message_builder_add_attachment_bytes (CachetMessageBuilder  *self,
                                             const char            *file_name,
                                             const char            *content_type,
                                             GBytes                *data,
                                             GError               **error)
{
  Attachment *attachment;

  g_return_val_if_fail (CACHET_IS_MESSAGE_BUILDER (self), FALSE);
  g_return_val_if_fail (file_name != NULL, FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  if (!cachet_message_builder_check_attachment_size (file_name, g_bytes_get_size (data), error))
    return FALSE;

  attachment = g_new0 (Attachment, 1);
  attachment->filename = g_strdup (file_name);
  attachment->content_type = content_type != NULL ? g_strdup (content_type)
                                                   : cachet_mime_guess_content_type (file_name, data);
  attachment->data = g_bytes_ref (data);
  g_ptr_array_add (self->attachments, attachment);

  return TRUE;
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

  g_return_val_if_fail (CACHET_IS_MESSAGE_BUILDER (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                            G_FILE_QUERY_INFO_NONE, cancellable, error);
  if (info == NULL)
    return FALSE;
  /* Checked before reading too, so that a huge file is never loaded. */
  if (!cachet_message_builder_check_attachment_size (g_file_info_get_display_name (info),
                                                     (guint64) g_file_info_get_size (info), error))
    return FALSE;
  data = g_file_load_bytes (file, cancellable, NULL, error);
  if (data == NULL)
    return FALSE;

  return cachet_message_builder_add_attachment_bytes (self, g_file_info_get_display_name (info), NULL, data, error);
}

/**
 * cachet_message_builder_dup_recipients:
 *
 * Returns: (transfer full): every To, Cc and Bcc address, for the SMTP
 *   envelope
 */
GStrv
cachet_message_builder_dup_recipients (CachetMessageBuilder *self)
{
  g_autoptr(GStrvBuilder) recipients = g_strv_builder_new ();

  g_return_val_if_fail (CACHET_IS_MESSAGE_BUILDER (self), NULL);

  for (guint kind = 0; kind < G_N_ELEMENTS (self->recipients); kind++)
    {
      for (guint i = 0; i < self->recipients[kind]->len; i++)
        {
          CachetMessageAddress *recipient = g_ptr_array_index (self->recipients[kind], i);

          g_strv_builder_add (recipients, recipient->address);
        }
    }

  return g_strv_builder_end (recipients);
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
      CachetMessageAddress *address = g_ptr_array_index (addresses, i);
      InternetAddress *mailbox;

      if (!cachet_address_validate (address->address, error))
        return FALSE;
      mailbox = internet_address_mailbox_new (address->name, address->address);
      internet_address_list_add (list, mailbox);
      g_object_unref (mailbox);
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

/* An attached message stays a message the receiver can open. */
static GMimeObject *
build_message_part (Attachment *attachment)
{
  g_autoptr(GMimeMessage) message = cachet_mime_parse_message (attachment->data, NULL);
  GMimeMessagePart *part;

  if (message == NULL)
    return NULL;
  part = g_mime_message_part_new_with_message ("rfc822", message);
  g_mime_object_set_disposition (GMIME_OBJECT (part), GMIME_DISPOSITION_ATTACHMENT);
  g_mime_object_set_content_disposition_parameter (GMIME_OBJECT (part), "filename", attachment->filename);

  return GMIME_OBJECT (part);
}

static GMimeObject *
build_attachment_part (Attachment *attachment)
{
  g_autoptr(GMimeContentType) type = NULL;

  if (g_ascii_strcasecmp (attachment->content_type, "message/rfc822") == 0)
    {
      GMimeObject *part = build_message_part (attachment);

      /* Bytes that do not parse as a message go as opaque data. */
      if (part != NULL)
        return part;
      g_free (attachment->content_type);
      attachment->content_type = g_strdup ("application/octet-stream");
    }

  type = g_mime_content_type_parse (NULL, attachment->content_type);
  g_autoptr(GMimeStream) stream = g_mime_stream_mem_new_with_byte_array (
    g_byte_array_append (g_byte_array_new (), g_bytes_get_data (attachment->data, NULL),
                         g_bytes_get_size (attachment->data)));
  g_autoptr(GMimeDataWrapper) content = g_mime_data_wrapper_new_with_stream (stream, GMIME_CONTENT_ENCODING_DEFAULT);
  GMimePart *part;

  part = g_mime_part_new_with_type (g_mime_content_type_get_media_type (type),
                                    g_mime_content_type_get_media_subtype (type));
  g_mime_part_set_content (part, content);
  g_mime_part_set_filename (part, attachment->filename);
  g_mime_part_set_content_encoding (part, GMIME_CONTENT_ENCODING_BASE64);
  g_mime_object_set_disposition (GMIME_OBJECT (part), GMIME_DISPOSITION_ATTACHMENT);

  return GMIME_OBJECT (part);
}

static void
set_thread_headers (CachetMessageBuilder *self,
                    GMimeMessage         *message)
{
  if (self->in_reply_to != NULL)
    {
      g_autofree char *value = g_strdup_printf ("<%s>", self->in_reply_to);

      g_mime_object_set_header (GMIME_OBJECT (message), "In-Reply-To", value, NULL);
    }
  if (self->references->len > 0)
    {
      g_autoptr(GString) value = g_string_new (NULL);

      for (guint i = 0; i < self->references->len; i++)
        g_string_append_printf (value, "%s<%s>", i > 0 ? " " : "",
                                (const char *) g_ptr_array_index (self->references, i));
      g_mime_object_set_header (GMIME_OBJECT (message), "References", value->str, NULL);
    }
}

static GBytes *
build_message (CachetMessageBuilder  *self,
               gboolean               is_draft,
               GError               **error)
{
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GMimeObject) body = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GMimeStream) output = NULL;
  GMimeFormatOptions *format;
  GByteArray *bytes;

  cachet_mime_init ();

  if (!is_draft &&
      self->recipients[CACHET_RECIPIENT_TO]->len + self->recipients[CACHET_RECIPIENT_CC]->len +
      self->recipients[CACHET_RECIPIENT_BCC]->len == 0)
    {
      g_set_error_literal (error, CACHET_MIME_ERROR, CACHET_MIME_ERROR_INVALID,
                           _("The message has no recipient. Add at least one address."));
      return NULL;
    }
  if (!cachet_address_validate (self->from_address, error))
    return NULL;
  /* Bcc never reaches a header, but its addresses go to the server all the
   * same: they are checked like the others. */
  for (guint i = 0; i < self->recipients[CACHET_RECIPIENT_BCC]->len; i++)
    {
      CachetMessageAddress *recipient = g_ptr_array_index (self->recipients[CACHET_RECIPIENT_BCC], i);

      if (!cachet_address_validate (recipient->address, error))
        return NULL;
    }

  message = g_mime_message_new (TRUE);
  {
    InternetAddress *from = internet_address_mailbox_new (self->from_name, self->from_address);

    internet_address_list_add (g_mime_message_get_from (message), from);
    g_object_unref (from);
  }
  if (!add_addresses (message, GMIME_ADDRESS_TYPE_TO, self->recipients[CACHET_RECIPIENT_TO], error) ||
      !add_addresses (message, GMIME_ADDRESS_TYPE_CC, self->recipients[CACHET_RECIPIENT_CC], error))
    return NULL;
  /* A draft stays in the user's own mailbox and must come back whole. */
  if (is_draft && !add_addresses (message, GMIME_ADDRESS_TYPE_BCC, self->recipients[CACHET_RECIPIENT_BCC], error))
    return NULL;
  g_mime_message_set_subject (message, self->subject != NULL ? self->subject : "", "utf-8");
  g_mime_message_set_date (message, now);
  g_mime_message_set_message_id (message, self->message_id);
  set_thread_headers (self, message);

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
  g_return_val_if_fail (CACHET_IS_MESSAGE_BUILDER (self), NULL);

  return build_message (self, FALSE, error);
}

/**
 * cachet_message_builder_build_draft:
 * @error: return location for a #GError
 *
 * Like cachet_message_builder_build(), but a message without recipient is
 * fine (a draft is unfinished by nature), and Bcc is kept in a header, so
 * that the draft comes back whole. Never send a draft as it is.
 *
 * Returns: (transfer full) (nullable): the draft, or %NULL when an address
 *   is invalid
 */
GBytes *
cachet_message_builder_build_draft (CachetMessageBuilder  *self,
                                    GError               **error)
{
  g_return_val_if_fail (CACHET_IS_MESSAGE_BUILDER (self), NULL);

  return build_message (self, TRUE, error);
}

static void
cachet_message_builder_finalize (GObject *object)
{
  CachetMessageBuilder *self = CACHET_MESSAGE_BUILDER (object);

  g_clear_pointer (&self->from_name, g_free);
  g_clear_pointer (&self->from_address, g_free);
  for (guint kind = 0; kind < G_N_ELEMENTS (self->recipients); kind++)
    g_clear_pointer (&self->recipients[kind], g_ptr_array_unref);
  g_clear_pointer (&self->subject, g_free);
  g_clear_pointer (&self->body, g_free);
  g_clear_pointer (&self->message_id, g_free);
  g_clear_pointer (&self->in_reply_to, g_free);
  g_clear_pointer (&self->references, g_ptr_array_unref);
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
  for (guint kind = 0; kind < G_N_ELEMENTS (self->recipients); kind++)
    self->recipients[kind] = g_ptr_array_new_with_free_func ((GDestroyNotify) cachet_message_address_free);
  self->references = g_ptr_array_new_with_free_func (g_free);
  self->attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) attachment_free);
}
