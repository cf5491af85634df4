/* cachet-smime.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cachet-gmime-autocleanups.h"
#include "cachet-mime.h"
#include "cachet-smime.h"
#include "cachet-smime-enveloped-data.h"
#include "cachet-smime-error.h"
#include "cachet-smime-signed-data.h"

/* The verdict on a whole message (docs/security.md §1): a message counts as
 * signed only if its MIME root is the signed entity, so that nothing
 * unsigned can be shown beside signed text; what is verified is exactly what
 * is displayed (the first part of multipart/signed, or the content of an
 * opaque signature); and the signer must be the single From address of an
 * unambiguous header. */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMultipartSigned, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeApplicationPkcs7Mime, g_object_unref)

/* Header oddities after which the From address cannot be trusted to be what
 * every other program reads. */
#define AMBIGUOUS_HEADER_ISSUES (CACHET_MIME_ISSUE_INVALID_HEADER_NAME |  \
                                 CACHET_MIME_ISSUE_CONFLICTING_HEADER |   \
                                 CACHET_MIME_ISSUE_INVALID_ADDRESS_LIST | \
                                 CACHET_MIME_ISSUE_NUL_IN_HEADERS)

static gboolean
is_pkcs7_protocol (const char *type)
{
  return type != NULL && (g_ascii_strcasecmp (type, "application/pkcs7-signature") == 0 ||
                          g_ascii_strcasecmp (type, "application/x-pkcs7-signature") == 0);
}

static gboolean
is_smime_signed (GMimeObject *part)
{
  if (GMIME_IS_MULTIPART_SIGNED (part))
    return is_pkcs7_protocol (g_mime_object_get_content_type_parameter (part, "protocol"));
  if (GMIME_IS_APPLICATION_PKCS7_MIME (part))
    return g_mime_application_pkcs7_mime_get_smime_type (GMIME_APPLICATION_PKCS7_MIME (part)) ==
           GMIME_SECURE_MIME_TYPE_SIGNED_DATA;
  return FALSE;
}

static CachetMimeWalkAction
find_signed_part (GMimeObject *part,
                  GMimeObject *parent,
                  guint        index,
                  guint        depth,
                  gpointer     user_data)
{
  gboolean *found = user_data;

  /* An attached message is displayed, and judged, on its own. */
  if (GMIME_IS_MESSAGE_PART (part))
    return CACHET_MIME_WALK_SKIP_CHILDREN;
  if (is_smime_signed (part))
    {
      *found = TRUE;
      return CACHET_MIME_WALK_STOP;
    }
  return CACHET_MIME_WALK_CONTINUE;
}

/* A memory stream that writes into @array without freeing it, so that
 * what is written becomes bytes without a copy. */
static GMimeStream *
stream_into (GByteArray *array)
{
  GMimeStream *memory = g_mime_stream_mem_new_with_byte_array (array);

  g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (memory), FALSE);
  return memory;
}

/* A memory stream that reads @bytes, and takes them: without a copy when
 * nothing else holds them, as for bytes just written or decrypted. */
static GMimeStream *
stream_from (GBytes *bytes)
{
  return g_mime_stream_mem_new_with_byte_array (g_bytes_unref_to_array (bytes));
}

/* The part as it was signed: its bytes with CRLF line ends (RFC 8551
 * §3.1.1), written the way GMime itself verifies multipart/signed. */
static GBytes *
canonical_bytes (GMimeObject *object)
{
  g_autoptr(GByteArray) output = g_byte_array_new ();
  g_autoptr(GMimeStream) memory = stream_into (output);
  g_autoptr(GMimeStream) filtered = g_mime_stream_filter_new (memory);
  g_autoptr(GMimeFilter) crlf = g_mime_filter_unix2dos_new (FALSE);

  g_mime_stream_filter_add (GMIME_STREAM_FILTER (filtered), crlf);
  if (g_mime_object_write_to_stream (object, NULL, filtered) < 0 ||
      g_mime_stream_flush (filtered) < 0)
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&output));
}

static GMimeFormatOptions *
crlf_format (void)
{
  GMimeFormatOptions *format = g_mime_format_options_clone (g_mime_format_options_get_default ());

  g_mime_format_options_set_newline_format (format, GMIME_NEWLINE_FORMAT_DOS);
  return format;
}

static GBytes *
write_crlf_through (GMimeObject *object,
                    GMimeFilter *filter)
{
  g_autoptr(GByteArray) output = g_byte_array_new ();
  g_autoptr(GMimeStream) memory = stream_into (output);
  g_autoptr(GMimeStream) filtered = NULL;
  GMimeFormatOptions *format = crlf_format ();
  gssize written;

  if (filter != NULL)
    {
      filtered = g_mime_stream_filter_new (memory);
      g_mime_stream_filter_add (GMIME_STREAM_FILTER (filtered), filter);
    }
  written = g_mime_object_write_to_stream (object, format, filtered != NULL ? filtered : memory);
  g_mime_format_options_free (format);
  if (written < 0 || (filtered != NULL && g_mime_stream_flush (filtered) < 0))
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&output));
}

/* Whether a line begins with "From ", as GMime's From filter sees lines. */
static gboolean
has_from_line (GBytes *bytes)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  return (size >= 5 && memcmp (data, "From ", 5) == 0) || memmem (data, size, "\nFrom ", 6) != NULL;
}

/* @object as it is sent, signed or encrypted: with CRLF line ends, as SMTP
 * sends mail and as S/MIME signs and encrypts it (RFC 8551 §3.1.1). With
 * @armor_from, a line that begins with "From " begins with "=46rom "
 * instead, as GMime signs, since a mailbox on the way would otherwise
 * prefix it with ">" and break the signature: once encoded to 7 bits, only
 * quoted-printable text can begin a line with "From " (GMime's best
 * encoding sees to it), and there "=46" decodes back to "F". The From
 * filter adds about half the cost of the write and changes nothing
 * without such a line, so only a message that has one is written through
 * it, again. */
static GBytes *
write_crlf (GMimeObject *object,
            gboolean     armor_from)
{
  g_autoptr(GBytes) plain = write_crlf_through (object, NULL);
  g_autoptr(GMimeFilter) from = NULL;

  if (plain == NULL || !armor_from || !has_from_line (plain))
    return g_steal_pointer (&plain);
  from = g_mime_filter_from_new (GMIME_FILTER_FROM_MODE_ARMOR);
  return write_crlf_through (object, from);
}

/* The content of a part, transfer encoding undone: decoded straight into
 * an array sized for it, which becomes the bytes. */
static GBytes *
decoded_content (GMimeObject *object)
{
  g_autoptr(GByteArray) output = NULL;
  g_autoptr(GMimeStream) memory = NULL;
  GMimeDataWrapper *wrapper;
  gint64 encoded;

  if (!GMIME_IS_PART (object) || (wrapper = g_mime_part_get_content (GMIME_PART (object))) == NULL)
    return NULL;
  /* Base64, the encoding of every S/MIME part, takes 4 characters for 3
   * bytes; other encodings do not grow what they decode. */
  encoded = g_mime_stream_length (g_mime_data_wrapper_get_stream (wrapper));
  if (encoded > 0 && g_mime_data_wrapper_get_encoding (wrapper) == GMIME_CONTENT_ENCODING_BASE64)
    encoded = encoded / 4 * 3 + 3;
  output = g_byte_array_sized_new ((guint) CLAMP (encoded, 0, G_MAXUINT32 / 2));
  memory = stream_into (output);
  if (g_mime_data_wrapper_write_to_stream (wrapper, memory) < 0)
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&output));
}

static CachetSignedData *
read_signature (GMimeObject          *part,
                CachetSecurityReport *report)
{
  g_autoptr(GBytes) der = decoded_content (part);
  g_autoptr(GError) error = NULL;
  CachetSignedData *signed_data;

  if (der == NULL)
    {
      cachet_security_report_add_reason (report, CACHET_SECURITY_REASON_UNREADABLE, NULL);
      return NULL;
    }
  if ((signed_data = cachet_signed_data_new (der, &error)) == NULL)
    cachet_security_report_add_reason (report, CACHET_SECURITY_REASON_UNREADABLE, error->message);

  return signed_data;
}

/* Holds the store's anchors only for the check itself, so that other
 * threads wait for no MIME work. */
static gboolean
check_signed_data (CachetSignedData        *signed_data,
                   GBytes                  *detached_content,
                   CachetCertificateStore  *store,
                   CachetSecurityReport    *report,
                   GError                 **error)
{
  gnutls_x509_trust_list_t anchors = cachet_certificate_store_lock_anchors (store, error);

  if (anchors == NULL)
    return FALSE;
  cachet_signed_data_check (signed_data, detached_content, anchors, report);
  cachet_certificate_store_unlock_anchors (store);
  return TRUE;
}

/* %FALSE only when the anchors cannot be read: a bad signature is the
 * report's. */
static gboolean
verify_detached (GMimeObject             *root,
                 CachetCertificateStore  *store,
                 CachetSecurityReport    *report,
                 GError                 **error)
{
  g_autoptr(CachetSignedData) signed_data = NULL;
  g_autoptr(GBytes) content_bytes = NULL;
  GMimeObject *content;

  if (!is_smime_signed (root))
    {
      cachet_security_report_add_reason (report, CACHET_SECURITY_REASON_UNSUPPORTED, NULL);
      return TRUE;
    }
  if (g_mime_multipart_get_count (GMIME_MULTIPART (root)) != 2)
    {
      cachet_security_report_add_reason (report, CACHET_SECURITY_REASON_UNREADABLE,
                                         _("The signed message does not have exactly two parts."));
      return TRUE;
    }

  content = g_mime_multipart_get_part (GMIME_MULTIPART (root), 0);
  if ((signed_data = read_signature (g_mime_multipart_get_part (GMIME_MULTIPART (root), 1),
                                     report)) == NULL)
    return TRUE;
  if ((content_bytes = canonical_bytes (content)) == NULL)
    {
      cachet_security_report_add_reason (report, CACHET_SECURITY_REASON_UNREADABLE,
                                         _("The signed part cannot be read."));
      return TRUE;
    }

  cachet_security_report_set_signed (report, TRUE);
  cachet_security_report_set_content (report, content);
  return check_signed_data (signed_data, content_bytes, store, report, error);
}

static gboolean
verify_opaque (GMimeObject             *root,
               CachetCertificateStore  *store,
               CachetSecurityReport    *report,
               GError                 **error)
{
  g_autoptr(CachetSignedData) signed_data = NULL;
  g_autoptr(GBytes) embedded = NULL;
  g_autoptr(GMimeStream) stream = NULL;
  g_autoptr(GMimeParser) parser = NULL;
  g_autoptr(GMimeObject) content = NULL;

  switch (g_mime_application_pkcs7_mime_get_smime_type (GMIME_APPLICATION_PKCS7_MIME (root)))
    {
    case GMIME_SECURE_MIME_TYPE_SIGNED_DATA:
      break;
    case GMIME_SECURE_MIME_TYPE_ENVELOPED_DATA:
      cachet_security_report_add_reason (report, CACHET_SECURITY_REASON_ENCRYPTED, NULL);
      return TRUE;
    case GMIME_SECURE_MIME_TYPE_COMPRESSED_DATA:
    case GMIME_SECURE_MIME_TYPE_CERTS_ONLY:
    case GMIME_SECURE_MIME_TYPE_UNKNOWN:
    default:
      cachet_security_report_add_reason (report, CACHET_SECURITY_REASON_UNSUPPORTED, NULL);
      return TRUE;
    }

  if ((signed_data = read_signature (root, report)) == NULL)
    return TRUE;

  cachet_security_report_set_signed (report, TRUE);
  if (!check_signed_data (signed_data, NULL, store, report, error))
    return FALSE;

  /* Only the verified content is ever displayed. */
  if ((embedded = cachet_signed_data_dup_content (signed_data)) == NULL)
    return TRUE;
  stream = stream_from (g_steal_pointer (&embedded));
  parser = g_mime_parser_new_with_stream (stream);
  if ((content = g_mime_parser_construct_part (parser, NULL)) == NULL)
    cachet_security_report_add_reason (report, CACHET_SECURITY_REASON_UNREADABLE,
                                       _("The signed content cannot be read."));
  else
    cachet_security_report_set_content (report, content);
  return TRUE;
}

/* A display name that reads as another address, or whose text is
 * reordered or hidden by format characters (bidi overrides, zero-width
 * marks), shows the reader someone other than the address that signed
 * (security.md §1, I2). A name that is the address itself is common and
 * harmless. */
static gboolean
is_misleading_name (const char *name,
                    const char *addr_spec)
{
  g_autofree char *bare = NULL;

  if (!g_utf8_validate (name, -1, NULL))
    return TRUE;
  for (const char *c = name; *c != '\0'; c = g_utf8_next_char (c))
    if (g_unichar_type (g_utf8_get_char (c)) == G_UNICODE_FORMAT)
      return TRUE;
  if (strchr (name, '@') == NULL)
    return FALSE;

  bare = g_strstrip (g_strdup (name));
  if (*bare == '<' && g_str_has_suffix (bare, ">"))
    {
      bare[strlen (bare) - 1] = '\0';
      memmove (bare, bare + 1, strlen (bare));
    }
  return g_ascii_strcasecmp (bare, addr_spec) != 0;
}

/* The addr-spec of the one From address, with its display name, or %NULL
 * if there is not exactly one From header with exactly one mailbox, or if
 * the header block is ambiguous. */
static char *
single_sender (GMimeMessage  *message,
               const char   **display_name)
{
  GMimeHeaderList *headers = g_mime_object_get_header_list (GMIME_OBJECT (message));
  InternetAddressList *from;
  InternetAddress *address;
  const char *addr_spec;
  guint from_headers = 0;

  if (cachet_mime_message_get_issues (message) & AMBIGUOUS_HEADER_ISSUES)
    return NULL;
  for (int i = 0; i < g_mime_header_list_get_count (headers); i++)
    {
      const char *name = g_mime_header_get_name (g_mime_header_list_get_header_at (headers, i));

      if (name != NULL && g_ascii_strcasecmp (name, "From") == 0)
        from_headers++;
    }
  if (from_headers != 1)
    return NULL;

  from = g_mime_message_get_from (message);
  if (from == NULL || internet_address_list_length (from) != 1)
    return NULL;
  address = internet_address_list_get_address (from, 0);
  if (!INTERNET_ADDRESS_IS_MAILBOX (address))
    return NULL;
  addr_spec = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (address));
  if (addr_spec == NULL || strchr (addr_spec, '@') == NULL || strpbrk (addr_spec, " \t\r\n") != NULL)
    return NULL;
  *display_name = internet_address_get_name (address);

  return g_ascii_strdown (addr_spec, -1);
}

static void
check_sender (GMimeMessage         *message,
              CachetSecurityReport *report)
{
  CachetCertificate *signer = cachet_security_report_get_signer (report);
  const char *display_name = NULL;
  g_autofree char *sender = single_sender (message, &display_name);

  if (sender == NULL)
    {
      cachet_security_report_add_reason (report, CACHET_SECURITY_REASON_SENDER_AMBIGUOUS, NULL);
      return;
    }
  cachet_security_report_set_sender (report, sender);

  if (!cachet_certificate_has_email_address (signer, sender))
    {
      const char * const *addresses = cachet_certificate_get_email_addresses (signer);
      g_autofree char *signer_name = addresses[0] != NULL
                                       ? g_strjoinv (", ", (GStrv) addresses)
                                       : g_strdup (cachet_certificate_get_subject (signer));
      g_autofree char *detail = g_strdup_printf (_("The message was signed by %s, not by its "
                                                   "sender %s."), signer_name, sender);

      cachet_security_report_add_reason (report, CACHET_SECURITY_REASON_ADDRESS_MISMATCH, detail);
    }
  else if (display_name != NULL && is_misleading_name (display_name, sender))
    {
      g_autofree char *detail = g_strdup_printf (_("The name shown with the sender, beside %s, reads "
                                                   "as another address or hides part of its text: "
                                                   "check the address itself."), sender);

      cachet_security_report_add_reason (report, CACHET_SECURITY_REASON_SENDER_AMBIGUOUS, detail);
    }
}

/**
 * cachet_smime_verify_message:
 * @message: a parsed message (cachet_mime_parse_message())
 * @store: the user's certificates: its anchors are trusted, and the signer's
 *   certificate of a valid message is kept in it
 * @error: return location for a #GError
 *
 * Judges the S/MIME protection of @message. A bad signature is not an
 * error: it is the report's verdict.
 *
 * Returns: (transfer full) (nullable): the report, or %NULL with
 *   %CACHET_SMIME_ERROR_STORE if the trust anchors cannot be read
 */
CachetSecurityReport *
cachet_smime_verify_message (GMimeMessage            *message,
                             CachetCertificateStore  *store,
                             GError                 **error)
{
  g_autoptr(CachetSecurityReport) report = cachet_security_report_new ();
  GMimeObject *root;
  gboolean partly_signed = FALSE;

  g_return_val_if_fail (GMIME_IS_MESSAGE (message), NULL);
  g_return_val_if_fail (CACHET_IS_CERTIFICATE_STORE (store), NULL);

  if ((root = g_mime_message_get_mime_part (message)) == NULL)
    return g_steal_pointer (&report);
  if (GMIME_IS_MULTIPART_SIGNED (root) || GMIME_IS_APPLICATION_PKCS7_MIME (root))
    {
      if (!(GMIME_IS_MULTIPART_SIGNED (root) ? verify_detached (root, store, report, error)
                                              : verify_opaque (root, store, report, error)))
        return NULL;
    }
  else
    {
      cachet_mime_walk (root, find_signed_part, &partly_signed);
      if (partly_signed)
        cachet_security_report_add_reason (report, CACHET_SECURITY_REASON_PARTLY_SIGNED, NULL);
    }

  if (cachet_security_report_get_signer (report) != NULL)
    check_sender (message, report);

  /* Collected only from mail whose signature holds up entirely, so that no
   * forged message plants a certificate for someone else's address. */
  if (cachet_security_report_get_verdict (report) == CACHET_SECURITY_VERDICT_VALID)
    {
      g_autoptr(GError) store_error = NULL;

      if (!cachet_certificate_store_add_correspondent (store, cachet_security_report_get_signer (report),
                                                       &store_error))
        g_warning ("Cannot keep the signer’s certificate: %s", store_error->message);
    }

  return g_steal_pointer (&report);
}

static void
verify_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  g_autoptr(GMimeMessage) message = NULL;
  GError *error = NULL;
  CachetSecurityReport *report = NULL;

  message = cachet_mime_parse_message (task_data, &error);
  if (message == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  report = cachet_smime_verify_message (message, CACHET_CERTIFICATE_STORE (source_object), &error);
  if (report != NULL)
    g_task_return_pointer (task, report, g_object_unref);
  else
    g_task_return_error (task, error);
}

/**
 * cachet_smime_verify_async:
 * @store: the user's certificates
 * @raw_message: the message as stored (RFC 5322 bytes)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the report
 * @user_data: data for @callback
 *
 * Parses and verifies a stored message off the main thread: what the window
 * calls before drawing the security banner.
 */
void
cachet_smime_verify_async (CachetCertificateStore *store,
                           GBytes                 *raw_message,
                           GCancellable           *cancellable,
                           GAsyncReadyCallback     callback,
                           gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CACHET_IS_CERTIFICATE_STORE (store));
  g_return_if_fail (raw_message != NULL);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, cachet_smime_verify_async);
  g_task_set_task_data (task, g_bytes_ref (raw_message), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, verify_thread);
}

/**
 * cachet_smime_verify_finish:
 *
 * Returns: (transfer full) (nullable): the report, or %NULL with an error
 *   (the message cannot be parsed, the store cannot be read, cancelled)
 */
CachetSecurityReport *
cachet_smime_verify_finish (CachetCertificateStore  *store,
                            GAsyncResult            *result,
                            GError                 **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* @entity encoded to 7 bits and written as it is sent (@detached: with
 * its From lines armoured), into @content, and the signature of those very
 * bytes. */
static GBytes *
sign_entity (CachetSmimeIdentity  *identity,
             GMimeObject          *entity,
             gboolean              detached,
             GBytes              **content,
             GError              **error)
{
  g_mime_object_encode (entity, GMIME_ENCODING_CONSTRAINT_7BIT);
  if ((*content = write_crlf (entity, detached)) == NULL)
    {
      g_set_error_literal (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_SIGN_FAILED,
                           _("The message to sign could not be read."));
      return NULL;
    }
  return cachet_signed_data_sign (identity, *content, detached, error);
}

/* Gives @part @der as its content, sent in base64; takes @der. */
static void
set_der_content (GMimePart *part,
                 GBytes    *der)
{
  g_autoptr(GMimeStream) stream = stream_from (der);
  g_autoptr(GMimeDataWrapper) wrapper = g_mime_data_wrapper_new_with_stream (stream,
                                                                             GMIME_CONTENT_ENCODING_DEFAULT);

  g_mime_part_set_content (part, wrapper);
  g_mime_part_set_content_encoding (part, GMIME_CONTENT_ENCODING_BASE64);
}

static GMimeObject *
sign_opaque (CachetSmimeIdentity  *identity,
             GMimeObject          *entity,
             GError              **error)
{
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GBytes) signature = NULL;
  GMimeApplicationPkcs7Mime *part;

  if ((signature = sign_entity (identity, entity, FALSE, &content, error)) == NULL)
    return NULL;

  part = g_mime_application_pkcs7_mime_new (GMIME_SECURE_MIME_TYPE_SIGNED_DATA);
  set_der_content (GMIME_PART (part), g_steal_pointer (&signature));
  return GMIME_OBJECT (part);
}

static void
append (GByteArray *output,
        const char *text)
{
  g_byte_array_append (output, (const guint8 *) text, (guint) strlen (text));
}

static void
append_bytes (GByteArray *output,
              GBytes     *bytes)
{
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  g_byte_array_append (output, data, (guint) size);
}

/* @object written out, when @body is what GMime writes below its headers:
 * GMime writes the headers, so that they are those it would write. */
static GBytes *
join_headers (GMimeObject *object,
              GBytes      *body)
{
  GMimeFormatOptions *format = crlf_format ();
  g_autofree char *headers = g_mime_object_get_headers (object, format);
  GByteArray *output = g_byte_array_sized_new ((guint) (strlen (headers) + 2 + g_bytes_get_size (body)));

  g_mime_format_options_free (format);
  append (output, headers);
  append (output, "\r\n");
  append_bytes (output, body);
  return g_byte_array_free_to_bytes (output);
}

/* multipart/signed, built as bytes around the very bytes signed rather
 * than by g_mime_multipart_signed_sign() (which writes the entity through
 * several filters, copies it and parses it back) or as GMime objects
 * written out: the entity is encoded and written once, and never parsed
 * back nor written again, so that what is sent is byte for byte what was
 * signed. The bytes are those GMime writes for the same multipart
 * (tests/smime check that its parse and write of a signed message change
 * nothing). Returns the multipart/signed without its parts, whose headers
 * go above @body. */
static GMimeObject *
sign_detached (CachetSmimeIdentity  *identity,
               GMimeObject          *entity,
               GBytes              **body,
               GError              **error)
{
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GBytes) signature = NULL;
  g_autoptr(GBytes) signature_bytes = NULL;
  g_autoptr(GMimePart) signature_part = NULL;
  g_autoptr(GMimeMultipartSigned) multipart = NULL;
  g_autofree char *delimiter = NULL;
  GByteArray *output;
  const guint8 *content_data;
  gsize content_size = 0;
  const char *boundary;

  if ((signature = sign_entity (identity, entity, TRUE, &content, error)) == NULL)
    return NULL;

  signature_part = g_mime_part_new_with_type ("application", "pkcs7-signature");
  set_der_content (signature_part, g_steal_pointer (&signature));
  /* RFC 8551 §3.4.3.2 */
  g_mime_part_set_filename (signature_part, "smime.p7s");
  if ((signature_bytes = write_crlf (GMIME_OBJECT (signature_part), FALSE)) == NULL)
    {
      g_set_error_literal (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_SIGN_FAILED,
                           _("The message to sign could not be read."));
      return NULL;
    }

  multipart = g_mime_multipart_signed_new ();
  g_mime_object_set_content_type_parameter (GMIME_OBJECT (multipart), "protocol",
                                            "application/pkcs7-signature");
  g_mime_object_set_content_type_parameter (GMIME_OBJECT (multipart), "micalg", "sha-256");
  /* GMime's boundary is 128 bits from /dev/urandom; one that the content
   * held would end the first part early, so it is drawn again. */
  content_data = g_bytes_get_data (content, &content_size);
  do
    {
      g_mime_multipart_set_boundary (GMIME_MULTIPART (multipart), NULL);
      boundary = g_mime_multipart_get_boundary (GMIME_MULTIPART (multipart));
    }
  while (memmem (content_data, content_size, boundary, strlen (boundary)) != NULL);

  /* As GMime writes a multipart without prologue or epilogue. */
  delimiter = g_strconcat ("--", boundary, NULL);
  output = g_byte_array_sized_new ((guint) (content_size + g_bytes_get_size (signature_bytes) +
                                            3 * strlen (delimiter) + 10));
  append (output, delimiter);
  append (output, "\r\n");
  append_bytes (output, content);
  append (output, "\r\n");
  append (output, delimiter);
  append (output, "\r\n");
  append_bytes (output, signature_bytes);
  append (output, "\r\n");
  append (output, delimiter);
  append (output, "--\r\n");
  *body = g_byte_array_free_to_bytes (output);

  return GMIME_OBJECT (g_steal_pointer (&multipart));
}

/* The detached signature as a GMime object, parsed from the bytes built,
 * so that its first part is the very bytes signed. */
static GMimeObject *
sign_detached_entity (CachetSmimeIdentity  *identity,
                      GMimeObject          *entity,
                      GError              **error)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GMimeObject) multipart = sign_detached (identity, entity, &body, error);
  g_autoptr(GMimeStream) stream = NULL;
  g_autoptr(GMimeParser) parser = NULL;
  GMimeObject *signed_entity;

  if (multipart == NULL)
    return NULL;
  stream = stream_from (join_headers (multipart, body));
  parser = g_mime_parser_new_with_stream (stream);
  if ((signed_entity = g_mime_parser_construct_part (parser, NULL)) == NULL)
    g_set_error_literal (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_SIGN_FAILED,
                         _("The message to sign could not be read."));
  return signed_entity;
}

static GMimeObject *
body_to_sign (GMimeMessage  *message,
              GError       **error)
{
  GMimeObject *entity = g_mime_message_get_mime_part (message);

  if (entity == NULL)
    g_set_error_literal (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_SIGN_FAILED,
                         _("The message has no body to sign."));
  return entity;
}

/**
 * cachet_smime_sign_message:
 * @message: a message being sent; its body is replaced by the signed body
 * @identity: who signs
 * @mode: detached (the default for mail) or opaque
 * @error: return location for a #GError
 *
 * Returns: %TRUE once @message is signed; %FALSE with an error and @message
 *   unchanged
 */
gboolean
cachet_smime_sign_message (GMimeMessage         *message,
                           CachetSmimeIdentity  *identity,
                           CachetSmimeSignMode   mode,
                           GError              **error)
{
  GMimeObject *entity;
  g_autoptr(GMimeObject) signed_entity = NULL;

  g_return_val_if_fail (GMIME_IS_MESSAGE (message), FALSE);
  g_return_val_if_fail (CACHET_IS_SMIME_IDENTITY (identity), FALSE);

  if ((entity = body_to_sign (message, error)) == NULL)
    return FALSE;

  signed_entity = mode == CACHET_SMIME_SIGN_OPAQUE ? sign_opaque (identity, entity, error)
                                                   : sign_detached_entity (identity, entity, error);
  if (signed_entity == NULL)
    return FALSE;

  g_mime_message_set_mime_part (message, signed_entity);
  return TRUE;
}

/* The MIME entity inside an EnvelopedData, parsed; nothing of it exists
 * unless the whole content decrypted. */
static GMimeObject *
decrypt_entity (GMimeObject          *root,
                CachetSmimeIdentity  *identity,
                GError              **error)
{
  g_autoptr(GBytes) der = decoded_content (root);
  g_autoptr(CachetEnvelopedData) envelope = NULL;
  g_autoptr(GBytes) plaintext = NULL;
  g_autoptr(GMimeStream) stream = NULL;
  g_autoptr(GMimeParser) parser = NULL;
  GMimeObject *entity;

  if (der == NULL)
    {
      g_set_error_literal (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_UNREADABLE,
                           _("The encrypted part cannot be read."));
      return NULL;
    }
  if ((envelope = cachet_enveloped_data_new (der, error)) == NULL ||
      (plaintext = cachet_enveloped_data_decrypt (envelope, identity, error)) == NULL)
    return NULL;

  stream = stream_from (g_steal_pointer (&plaintext));
  parser = g_mime_parser_new_with_stream (stream);
  if ((entity = g_mime_parser_construct_part (parser, NULL)) == NULL)
    g_set_error_literal (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_UNREADABLE,
                         _("The decrypted content is not a MIME entity."));
  return entity;
}

static gboolean
is_smime_type (GMimeObject        *part,
               GMimeSecureMimeType type)
{
  return part != NULL && GMIME_IS_APPLICATION_PKCS7_MIME (part) &&
         g_mime_application_pkcs7_mime_get_smime_type (GMIME_APPLICATION_PKCS7_MIME (part)) == type;
}

/* The verdict on a decrypted message: that of the signature inside if there
 * is one, else that of the signature around the encrypted part, which then
 * covers all of it. */
static CachetSecurityReport *
decrypted_report (GMimeMessage            *message,
                  GMimeObject             *entity,
                  CachetSecurityReport    *outer_report,
                  CachetCertificateStore  *store,
                  GError                 **error)
{
  GMimeObject *root = g_mime_message_get_mime_part (message);
  g_autoptr(GMimeObject) outer = g_object_ref (root);
  g_autoptr(CachetSecurityReport) report = NULL;

  /* Judged with the outer headers, as displayed: the signer must be the
   * message's sender. */
  g_mime_message_set_mime_part (message, entity);
  report = cachet_smime_verify_message (message, store, error);
  g_mime_message_set_mime_part (message, outer);
  if (report == NULL)
    return NULL;

  /* Without a signature inside, what is displayed is the whole decrypted
   * entity, covered by the signature around it if any. */
  if (!cachet_security_report_is_signed (report))
    {
      if (outer_report != NULL)
        g_set_object (&report, outer_report);
      cachet_security_report_set_content (report, entity);
    }
  cachet_security_report_set_encrypted (report, TRUE);
  return g_steal_pointer (&report);
}

/**
 * cachet_smime_decrypt_message:
 * @message: a parsed message (cachet_mime_parse_message())
 * @identity: whose key decrypts
 * @store: the user's certificates, to verify a signature inside or around
 * @report: (out) (optional) (transfer full): the verdict on the decrypted
 *   message, marked encrypted
 * @error: return location for a #GError
 *
 * Decrypts a message encrypted as a whole: its MIME root is the encrypted
 * part, or a signature around it (encrypted, then signed). An encrypted
 * part beside other parts is never decrypted (EFAIL, docs/security.md §2
 * E3), so that no attacker's part is shown or quoted with its plaintext.
 * @message is not changed.
 *
 * Returns: (transfer full) (nullable): the decrypted MIME entity, or %NULL
 *   with a %CACHET_SMIME_ERROR: %CACHET_SMIME_ERROR_NOT_RECIPIENT names who
 *   the message is for
 */
GMimeObject *
cachet_smime_decrypt_message (GMimeMessage            *message,
                              CachetSmimeIdentity     *identity,
                              CachetCertificateStore  *store,
                              CachetSecurityReport   **report,
                              GError                 **error)
{
  GMimeObject *encrypted;
  g_autoptr(CachetSecurityReport) outer_report = NULL;
  g_autoptr(GMimeObject) entity = NULL;

  g_return_val_if_fail (GMIME_IS_MESSAGE (message), NULL);
  g_return_val_if_fail (CACHET_IS_SMIME_IDENTITY (identity), NULL);
  g_return_val_if_fail (CACHET_IS_CERTIFICATE_STORE (store), NULL);

  encrypted = g_mime_message_get_mime_part (message);
  if (GMIME_IS_MULTIPART_SIGNED (encrypted) ||
      is_smime_type (encrypted, GMIME_SECURE_MIME_TYPE_SIGNED_DATA))
    {
      /* Only what the signature covers, which is all that is displayed. */
      if ((outer_report = cachet_smime_verify_message (message, store, error)) == NULL)
        return NULL;
      encrypted = cachet_security_report_get_content (outer_report);
    }
  if (encrypted == NULL || !GMIME_IS_APPLICATION_PKCS7_MIME (encrypted))
    {
      g_set_error_literal (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_UNSUPPORTED,
                           _("The message is not encrypted as a whole; encrypted parts inside it "
                             "are not decrypted."));
      return NULL;
    }
  if (!is_smime_type (encrypted, GMIME_SECURE_MIME_TYPE_ENVELOPED_DATA))
    {
      g_set_error_literal (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_UNSUPPORTED,
                           _("The message is protected in a way Cachet cannot decrypt."));
      return NULL;
    }
  if ((entity = decrypt_entity (encrypted, identity, error)) == NULL)
    return NULL;

  if (report != NULL &&
      (*report = decrypted_report (message, entity, outer_report, store, error)) == NULL)
    return NULL;
  return g_steal_pointer (&entity);
}

typedef struct
{
  GBytes              *raw_message;
  CachetSmimeIdentity *identity;
} DecryptData;

static void
decrypt_data_free (gpointer data)
{
  DecryptData *decrypt = data;

  g_bytes_unref (decrypt->raw_message);
  g_object_unref (decrypt->identity);
  g_free (decrypt);
}

static void
decrypt_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  DecryptData *decrypt = task_data;
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GMimeObject) entity = NULL;
  CachetSecurityReport *report = NULL;
  GError *error = NULL;

  if ((message = cachet_mime_parse_message (decrypt->raw_message, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  entity = cachet_smime_decrypt_message (message, decrypt->identity,
                                         CACHET_CERTIFICATE_STORE (source_object), &report, &error);
  if (entity != NULL)
    g_task_return_pointer (task, report, g_object_unref);
  else
    g_task_return_error (task, error);
}

/**
 * cachet_smime_decrypt_async:
 * @store: the user's certificates
 * @identity: whose key decrypts (a smart card may take its time)
 * @raw_message: the message as stored (RFC 5322 bytes)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the report
 * @user_data: data for @callback
 *
 * Parses and decrypts a stored message off the main thread: what the window
 * calls to open an encrypted message. The report's content is what to
 * display.
 */
void
cachet_smime_decrypt_async (CachetCertificateStore *store,
                            CachetSmimeIdentity    *identity,
                            GBytes                 *raw_message,
                            GCancellable           *cancellable,
                            GAsyncReadyCallback     callback,
                            gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  DecryptData *decrypt;

  g_return_if_fail (CACHET_IS_CERTIFICATE_STORE (store));
  g_return_if_fail (CACHET_IS_SMIME_IDENTITY (identity));
  g_return_if_fail (raw_message != NULL);

  decrypt = g_new0 (DecryptData, 1);
  decrypt->raw_message = g_bytes_ref (raw_message);
  decrypt->identity = g_object_ref (identity);
  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, cachet_smime_decrypt_async);
  g_task_set_task_data (task, decrypt, decrypt_data_free);
  g_task_run_in_thread (task, decrypt_thread);
}

/**
 * cachet_smime_decrypt_finish:
 *
 * Returns: (transfer full) (nullable): the report on the decrypted message,
 *   marked encrypted, or %NULL with the error of
 *   cachet_smime_decrypt_message() (or the message cannot be parsed, or
 *   cancelled)
 */
CachetSecurityReport *
cachet_smime_decrypt_finish (CachetCertificateStore  *store,
                             GAsyncResult            *result,
                             GError                 **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * cachet_smime_find_recipients:
 * @store: the user's certificates
 * @addresses: (array zero-terminated=1): the recipients' addresses
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type CachetCertificate) (nullable): for
 *   each address, the kept certificate that is valid now and expires last,
 *   or %NULL with %CACHET_SMIME_ERROR_ENCRYPT_FAILED naming an address
 *   without one
 */
GPtrArray *
cachet_smime_find_recipients (CachetCertificateStore  *store,
                              const char * const      *addresses,
                              GError                 **error)
{
  g_autoptr(GPtrArray) certificates = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_return_val_if_fail (CACHET_IS_CERTIFICATE_STORE (store), NULL);

  for (guint i = 0; addresses != NULL && addresses[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) found = cachet_certificate_store_lookup_address (store, addresses[i], error);

      if (found == NULL)
        return NULL;
      /* Sorted by expiry, latest first: the first is the best or none is. */
      if (found->len == 0 || cachet_certificate_is_expired (g_ptr_array_index (found, 0), now))
        {
          g_set_error (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_ENCRYPT_FAILED,
                       _("No valid certificate is known for %s. Import one first."), addresses[i]);
          return NULL;
        }
      g_ptr_array_add (certificates, g_object_ref (g_ptr_array_index (found, 0)));
    }
  return g_steal_pointer (&certificates);
}

/**
 * cachet_smime_envelope_recipients:
 * @sender: who encrypts
 * @certificates: (element-type CachetCertificate): the other recipients'
 *   certificates
 *
 * Returns: (transfer full) (element-type CachetCertificate): the
 *   certificates a message is encrypted for: the sender's first, so that
 *   the sender can read what they sent, then each other one once
 */
GPtrArray *
cachet_smime_envelope_recipients (CachetSmimeIdentity *sender,
                                  GPtrArray           *certificates)
{
  CachetCertificate *own = cachet_smime_identity_get_certificate (sender);
  GPtrArray *all = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_ptr_array_add (all, g_object_ref (own));
  g_hash_table_add (seen, (gpointer) cachet_certificate_get_fingerprint (own));
  for (guint i = 0; i < certificates->len; i++)
    {
      CachetCertificate *certificate = g_ptr_array_index (certificates, i);

      if (g_hash_table_add (seen, (gpointer) cachet_certificate_get_fingerprint (certificate)))
        g_ptr_array_add (all, g_object_ref (certificate));
    }
  return all;
}

/**
 * cachet_smime_encrypt_message:
 * @message: a message being sent; its body is replaced by the encrypted body
 * @identity: the sender, always a recipient too, and the signer if @sign
 * @recipients: (element-type CachetCertificate): the other recipients'
 *   certificates (cachet_certificate_store_lookup_address())
 * @sign: whether to sign (detached) before encrypting
 * @cipher: the content encryption
 * @recipient_id: how recipients are named
 * @error: return location for a #GError
 *
 * Returns: %TRUE once @message is encrypted; %FALSE with an error and
 *   @message unchanged
 */
gboolean
cachet_smime_encrypt_message (GMimeMessage               *message,
                              CachetSmimeIdentity        *identity,
                              GPtrArray                  *recipients,
                              gboolean                    sign,
                              CachetEnvelopeCipher        cipher,
                              CachetEnvelopeRecipientId   recipient_id,
                              GError                    **error)
{
  g_autoptr(GPtrArray) certificates = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GBytes) envelope = NULL;
  g_autoptr(GMimeApplicationPkcs7Mime) part = NULL;
  GMimeObject *entity;

  g_return_val_if_fail (GMIME_IS_MESSAGE (message), FALSE);
  g_return_val_if_fail (CACHET_IS_SMIME_IDENTITY (identity), FALSE);
  g_return_val_if_fail (recipients != NULL, FALSE);

  if ((entity = g_mime_message_get_mime_part (message)) == NULL)
    {
      g_set_error_literal (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_ENCRYPT_FAILED,
                           _("The message has no body to encrypt."));
      return FALSE;
    }
  /* Signed, the entity encrypted is the multipart/signed as built, never
   * parsed nor written again. */
  if (sign)
    {
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GMimeObject) multipart = sign_detached (identity, entity, &body, error);

      if (multipart == NULL)
        return FALSE;
      content = join_headers (multipart, body);
    }
  else
    {
      g_mime_object_encode (entity, GMIME_ENCODING_CONSTRAINT_7BIT);
      if ((content = write_crlf (entity, FALSE)) == NULL)
        {
          g_set_error_literal (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_ENCRYPT_FAILED,
                               _("The message to encrypt could not be read."));
          return FALSE;
        }
    }

  certificates = cachet_smime_envelope_recipients (identity, recipients);
  if ((envelope = cachet_enveloped_data_encrypt (content, certificates, cipher, recipient_id,
                                                 error)) == NULL)
    return FALSE;

  part = g_mime_application_pkcs7_mime_new (GMIME_SECURE_MIME_TYPE_ENVELOPED_DATA);
  set_der_content (GMIME_PART (part), g_steal_pointer (&envelope));
  g_mime_message_set_mime_part (message, GMIME_OBJECT (part));
  return TRUE;
}

/**
 * cachet_smime_protect_message:
 * @message: the built message (RFC 5322 bytes)
 * @identity: the sender's identity
 * @store: the user's certificates, for the recipients'
 * @recipients: (array zero-terminated=1): every envelope recipient
 * @sign: whether to sign (detached)
 * @encrypt: whether to encrypt (AES-256-CBC, for @recipients and the
 *   sender); signed first when @sign
 * @error: return location for a #GError
 *
 * What the composer does to a message at Send. Blocks: for a worker
 * thread.
 *
 * Returns: (transfer full) (nullable): the message to queue, or %NULL with
 *   an error, in which case nothing must be sent in its place
 */
GBytes *
cachet_smime_protect_message (GBytes                  *message,
                              CachetSmimeIdentity     *identity,
                              CachetCertificateStore  *store,
                              const char * const      *recipients,
                              gboolean                 sign,
                              gboolean                 encrypt,
                              GError                 **error)
{
  g_autoptr(GMimeMessage) parsed = NULL;
  g_autoptr(GPtrArray) certificates = NULL;
  g_autoptr(GMimeObject) multipart = NULL;
  g_autoptr(GBytes) body = NULL;
  GMimeObject *entity;
  GBytes *protected;

  g_return_val_if_fail (message != NULL, NULL);
  g_return_val_if_fail (CACHET_IS_SMIME_IDENTITY (identity), NULL);
  g_return_val_if_fail (CACHET_IS_CERTIFICATE_STORE (store), NULL);
  g_return_val_if_fail (sign || encrypt, NULL);

  parsed = cachet_mime_parse_message (message, error);
  if (parsed == NULL)
    return NULL;

  if (!encrypt)
    {
      /* The message's headers above the signed body as built: nothing of
       * it is parsed or written again. */
      if ((entity = body_to_sign (parsed, error)) == NULL ||
          (multipart = sign_detached (identity, entity, &body, error)) == NULL)
        return NULL;
      g_mime_message_set_mime_part (parsed, multipart);
      return join_headers (GMIME_OBJECT (parsed), body);
    }

  /* Bcc recipients are among them: a Bcc recipient who could not decrypt
   * would receive nothing readable. */
  certificates = cachet_smime_find_recipients (store, recipients, error);
  if (certificates == NULL ||
      !cachet_smime_encrypt_message (parsed, identity, certificates, sign, CACHET_ENVELOPE_CIPHER_AES_256_CBC,
                                     CACHET_ENVELOPE_RECIPIENT_ISSUER_SERIAL, error))
    return NULL;

  /* Written as the builder writes messages. */
  if ((protected = write_crlf (GMIME_OBJECT (parsed), FALSE)) == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                         _("The protected message could not be written out. Try sending it again."));
  return protected;
}
