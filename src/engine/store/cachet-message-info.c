/* cachet-message-info.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cachet-message-info-private.h"

/* One row of the message index, as a snapshot: it does not change when the
 * index does; a list model replaces rows instead. Immutable, so it may be
 * shared between threads. Properties exist so that list rows can bind to
 * them with GtkExpressions. */
struct _CachetMessageInfo
{
  GObject             parent_instance;

  gint64              id;
  char               *folder;
  guint32             uid;
  char               *filename;
  gint64              internal_date;
  gint64              size;
  guint64             modseq;
  CachetMessageFlags  flags;
  char              **keywords;
  char               *message_id;
  char               *in_reply_to;
  char              **references;
  GDateTime          *date;
  char               *from_name;
  char               *from_address;
  char               *to;
  char               *cc;
  char               *subject;
  gboolean            has_attachment;
  gboolean            is_signed;
  gboolean            is_encrypted;
  char              **mss_headers; /* "Name: value" */
  guint               mime_issues;
};

G_DEFINE_FINAL_TYPE (CachetMessageInfo, cachet_message_info, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FOLDER,
  PROP_UID,
  PROP_INTERNAL_DATE,
  PROP_SIZE,
  PROP_FLAGS,
  PROP_SEEN,
  PROP_FLAGGED,
  PROP_ANSWERED,
  PROP_DATE,
  PROP_FROM_NAME,
  PROP_FROM_ADDRESS,
  PROP_TO,
  PROP_CC,
  PROP_SUBJECT,
  PROP_HAS_ATTACHMENT,
  PROP_IS_SIGNED,
  PROP_IS_ENCRYPTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cachet_message_info_finalize (GObject *object)
{
  CachetMessageInfo *self = (CachetMessageInfo *) object;

  g_clear_pointer (&self->folder, g_free);
  g_clear_pointer (&self->filename, g_free);
  g_clear_pointer (&self->keywords, g_strfreev);
  g_clear_pointer (&self->message_id, g_free);
  g_clear_pointer (&self->in_reply_to, g_free);
  g_clear_pointer (&self->references, g_strfreev);
  g_clear_pointer (&self->date, g_date_time_unref);
  g_clear_pointer (&self->from_name, g_free);
  g_clear_pointer (&self->from_address, g_free);
  g_clear_pointer (&self->to, g_free);
  g_clear_pointer (&self->cc, g_free);
  g_clear_pointer (&self->subject, g_free);
  g_clear_pointer (&self->mss_headers, g_strfreev);

  G_OBJECT_CLASS (cachet_message_info_parent_class)->finalize (object);
}

static void
cachet_message_info_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CachetMessageInfo *self = CACHET_MESSAGE_INFO (object);

  switch (prop_id)
    {
    case PROP_FOLDER:
      g_value_set_string (value, self->folder);
      break;
    case PROP_UID:
      g_value_set_uint (value, self->uid);
      break;
    case PROP_INTERNAL_DATE:
      g_value_set_int64 (value, self->internal_date);
      break;
    case PROP_SIZE:
      g_value_set_int64 (value, self->size);
      break;
    case PROP_FLAGS:
      g_value_set_uint (value, self->flags);
      break;
    case PROP_SEEN:
      g_value_set_boolean (value, (self->flags & CACHET_MESSAGE_FLAG_SEEN) != 0);
      break;
    case PROP_FLAGGED:
      g_value_set_boolean (value, (self->flags & CACHET_MESSAGE_FLAG_FLAGGED) != 0);
      break;
    case PROP_ANSWERED:
      g_value_set_boolean (value, (self->flags & CACHET_MESSAGE_FLAG_ANSWERED) != 0);
      break;
    case PROP_DATE:
      g_value_set_boxed (value, self->date);
      break;
    case PROP_FROM_NAME:
      g_value_set_string (value, self->from_name);
      break;
    case PROP_FROM_ADDRESS:
      g_value_set_string (value, self->from_address);
      break;
    case PROP_TO:
      g_value_set_string (value, self->to);
      break;
    case PROP_CC:
      g_value_set_string (value, self->cc);
      break;
    case PROP_SUBJECT:
      g_value_set_string (value, self->subject);
      break;
    case PROP_HAS_ATTACHMENT:
      g_value_set_boolean (value, self->has_attachment);
      break;
    case PROP_IS_SIGNED:
      g_value_set_boolean (value, self->is_signed);
      break;
    case PROP_IS_ENCRYPTED:
      g_value_set_boolean (value, self->is_encrypted);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cachet_message_info_class_init (CachetMessageInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cachet_message_info_finalize;
  object_class->get_property = cachet_message_info_get_property;

  properties[PROP_FOLDER] = g_param_spec_string ("folder", NULL, NULL, NULL, flags);
  properties[PROP_UID] = g_param_spec_uint ("uid", NULL, NULL, 0, G_MAXUINT32, 0, flags);
  properties[PROP_INTERNAL_DATE] =
    g_param_spec_int64 ("internal-date", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_SIZE] = g_param_spec_int64 ("size", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_FLAGS] = g_param_spec_uint ("flags", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_SEEN] = g_param_spec_boolean ("seen", NULL, NULL, FALSE, flags);
  properties[PROP_FLAGGED] = g_param_spec_boolean ("flagged", NULL, NULL, FALSE, flags);
  properties[PROP_ANSWERED] = g_param_spec_boolean ("answered", NULL, NULL, FALSE, flags);
  properties[PROP_DATE] = g_param_spec_boxed ("date", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_FROM_NAME] = g_param_spec_string ("from-name", NULL, NULL, NULL, flags);
  properties[PROP_FROM_ADDRESS] = g_param_spec_string ("from-address", NULL, NULL, NULL, flags);
  properties[PROP_TO] = g_param_spec_string ("to", NULL, NULL, NULL, flags);
  properties[PROP_CC] = g_param_spec_string ("cc", NULL, NULL, NULL, flags);
  properties[PROP_SUBJECT] = g_param_spec_string ("subject", NULL, NULL, NULL, flags);
  properties[PROP_HAS_ATTACHMENT] =
    g_param_spec_boolean ("has-attachment", NULL, NULL, FALSE, flags);
  properties[PROP_IS_SIGNED] = g_param_spec_boolean ("is-signed", NULL, NULL, FALSE, flags);
  properties[PROP_IS_ENCRYPTED] = g_param_spec_boolean ("is-encrypted", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cachet_message_info_init (CachetMessageInfo *self)
{
}

static char *
dup_column (sqlite3_stmt *statement,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (statement, column));
}

static char **
split_column (sqlite3_stmt *statement,
              int           column,
              const char   *separator)
{
  const char *text = (const char *) sqlite3_column_text (statement, column);

  if (text == NULL || *text == '\0')
    return g_new0 (char *, 1);
  return g_strsplit (text, separator, -1);
}

/**
 * _cachet_message_info_new_from_row:
 * @statement: a statement positioned on a row selecting
 *   %CACHET_MESSAGE_INFO_COLUMNS
 *
 * Returns: (transfer full): the row as a #CachetMessageInfo.
 */
CachetMessageInfo *
_cachet_message_info_new_from_row (sqlite3_stmt *statement)
{
  CachetMessageInfo *self = g_object_new (CACHET_TYPE_MESSAGE_INFO, NULL);
  static const CachetMessageFlags flag_columns[] = {
    CACHET_MESSAGE_FLAG_SEEN, CACHET_MESSAGE_FLAG_ANSWERED, CACHET_MESSAGE_FLAG_FLAGGED,
    CACHET_MESSAGE_FLAG_DELETED, CACHET_MESSAGE_FLAG_DRAFT,
  };
  int column = 0;

  self->id = sqlite3_column_int64 (statement, column++);
  self->folder = dup_column (statement, column++);
  self->uid = (guint32) sqlite3_column_int64 (statement, column++);
  self->filename = dup_column (statement, column++);
  self->internal_date = sqlite3_column_int64 (statement, column++);
  self->size = sqlite3_column_int64 (statement, column++);
  self->modseq = (guint64) sqlite3_column_int64 (statement, column++);
  for (gsize i = 0; i < G_N_ELEMENTS (flag_columns); i++)
    {
      if (sqlite3_column_int (statement, column++) != 0)
        self->flags |= flag_columns[i];
    }
  self->keywords = split_column (statement, column++, " ");
  self->message_id = dup_column (statement, column++);
  self->in_reply_to = dup_column (statement, column++);
  self->references = split_column (statement, column++, " ");
  if (sqlite3_column_type (statement, column) != SQLITE_NULL)
    self->date = g_date_time_new_from_unix_utc (sqlite3_column_int64 (statement, column));
  column++;
  self->from_name = dup_column (statement, column++);
  self->from_address = dup_column (statement, column++);
  self->to = dup_column (statement, column++);
  self->cc = dup_column (statement, column++);
  self->subject = dup_column (statement, column++);
  self->has_attachment = sqlite3_column_int (statement, column++) != 0;
  self->is_signed = sqlite3_column_int (statement, column++) != 0;
  self->is_encrypted = sqlite3_column_int (statement, column++) != 0;
  self->mss_headers = split_column (statement, column++, "\n");
  self->mime_issues = (guint) sqlite3_column_int64 (statement, column++);

  return self;
}

const char *
_cachet_message_info_get_filename (CachetMessageInfo *self)
{
  g_return_val_if_fail (CACHET_IS_MESSAGE_INFO (self), NULL);

  return self->filename;
}

/**
 * cachet_message_info_get_id:
 * @self: a #CachetMessageInfo
 *
 * Returns: the row id: stable while the message stays in the index, but not
 *   across a reindex.
 */
gint64
cachet_message_info_get_id (CachetMessageInfo *self)
{
  g_return_val_if_fail (CACHET_IS_MESSAGE_INFO (self), 0);

  return self->id;
}

/**
 * cachet_message_info_get_folder:
 * @self: a #CachetMessageInfo
 *
 * Returns: (transfer none): the name of the message's folder.
 */
const char *
cachet_message_info_get_folder (CachetMessageInfo *self)
{
  g_return_val_if_fail (CACHET_IS_MESSAGE_INFO (self), NULL);

  return self->folder;
}

/**
 * cachet_message_info_get_uid:
 * @self: a #CachetMessageInfo
 *
 * Returns: the IMAP UID of the message in its folder.
 */
guint32
cachet_message_info_get_uid (CachetMessageInfo *self)
{
  g_return_val_if_fail (CACHET_IS_MESSAGE_INFO (self), 0);

  return self->uid;
}

/**
 * cachet_message_info_get_internal_date:
 * @self: a #CachetMessageInfo
 *
 * Returns: when the server received the message, unix seconds.
 */
gint64
cachet_message_info_get_internal_date (CachetMessageInfo *self)
{
  g_return_val_if_fail (CACHET_IS_MESSAGE_INFO (self), 0);

  return self->internal_date;
}

/**
 * cachet_message_info_get_size:
 * @self: a #CachetMessageInfo
 *
 * Returns: the size of the raw message in bytes.
 */
gint64
cachet_message_info_get_size (CachetMessageInfo *self)
{
  g_return_val_if_fail (CACHET_IS_MESSAGE_INFO (self), 0);

  return self->size;
}

/**
 * cachet_message_info_get_modseq:
 * @self: a #CachetMessageInfo
 *
 * Returns: the CONDSTORE modification sequence of the flags, 0 if unknown.
 */
guint64
cachet_message_info_get_modseq (CachetMessageInfo *self)
{
  g_return_val_if_fail (CACHET_IS_MESSAGE_INFO (self), 0);

  return self->modseq;
}

/**
 * cachet_message_info_get_flags:
 * @self: a #CachetMessageInfo
 *
 * Returns: the system flags.
 */
CachetMessageFlags
cachet_message_info_get_flags (CachetMessageInfo *self)
{
  g_return_val_if_fail (CACHET_IS_MESSAGE_INFO (self), CACHET_MESSAGE_FLAG_NONE);

  return self->flags;
}

/**
 * cachet_message_info_get_keywords:
 * @self: a #CachetMessageInfo
 *
 * Returns: (transfer none) (array zero-terminated=1): the keywords, sorted.
 */
const char * const *
cachet_message_info_get_keywords (CachetMessageInfo *self)
{
  g_return_val_if_fail (CACHET_IS_MESSAGE_INFO (self), NULL);

  return (const char * const *) self->keywords;
}

/**
 * cachet_message_info_has_keyword:
 * @self: a #CachetMessageInfo
 * @keyword: a keyword
 *
 * Keywords compare case-insensitively, as IMAP says.
 *
 * Returns: %TRUE if the message carries @keyword.
 */
gboolean
cachet_message_info_has_keyword (CachetMessageInfo *self,
                                 const char        *keyword)
{
  g_return_val_if_fail (CACHET_IS_MESSAGE_INFO (self), FALSE);
  g_return_val_if_fail (keyword != NULL, FALSE);

  for (guint i = 0; self->keywords[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (self->keywords[i], keyword) == 0)
        return TRUE;
    }
  return FALSE;
}

/**
 * cachet_message_info_get_message_id:
 * @self: a #CachetMessageInfo
 *
 * Returns: (transfer none) (nullable): the Message-ID, without brackets.
 */
const char *
cachet_message_info_get_message_id (CachetMessageInfo *self)
{
  g_return_val_if_fail (CACHET_IS_MESSAGE_INFO (self), NULL);

  return self->message_id;
}

/**
 * cachet_message_info_get_in_reply_to:
 * @self: a #CachetMessageInfo
 *
 * Returns: (transfer none) (nullable): the message id this one replies to.
 */
const char *
cachet_message_info_get_in_reply_to (CachetMessageInfo *self)
{
  g_return_val_if_fail (CACHET_IS_MESSAGE_INFO (self), NULL);

  return self->in_reply_to;
}

/**
 * cachet_message_info_get_references:
 * @self: a #CachetMessageInfo
 *
 * Returns: (transfer none) (array zero-terminated=1): the References, oldest
 *   first.
 */
const char * const *
cachet_message_info_get_references (CachetMessageInfo *self)
{
  g_return_val_if_fail (CACHET_IS_MESSAGE_INFO (self), NULL);

  return (const char * const *) self->references;
}

/**
 * cachet_message_info_get_date:
 * @self: a #CachetMessageInfo
 *
 * Returns: (transfer none) (nullable): the Date header, in UTC; %NULL if the
 *   message has none that can be read.
 */
GDateTime *
cachet_message_info_get_date (CachetMessageInfo *self)
{
  g_return_val_if_fail (CACHET_IS_MESSAGE_INFO (self), NULL);

  return self->date;
}

/**
 * cachet_message_info_get_from_name:
 * @self: a #CachetMessageInfo
 *
 * Returns: (transfer none) (nullable): the sender's display name.
 */
const char *
cachet_message_info_get_from_name (CachetMessageInfo *self)
{
  g_return_val_if_fail (CACHET_IS_MESSAGE_INFO (self), NULL);

  return self->from_name;
}

/**
 * cachet_message_info_get_from_address:
 * @self: a #CachetMessageInfo
 *
 * Returns: (transfer none) (nullable): the sender's address.
 */
const char *
cachet_message_info_get_from_address (CachetMessageInfo *self)
{
  g_return_val_if_fail (CACHET_IS_MESSAGE_INFO (self), NULL);

  return self->from_address;
}

/**
 * cachet_message_info_get_to:
 * @self: a #CachetMessageInfo
 *
 * Returns: (transfer none): the To recipients, formatted, maybe empty.
 */
const char *
cachet_message_info_get_to (CachetMessageInfo *self)
{
  g_return_val_if_fail (CACHET_IS_MESSAGE_INFO (self), NULL);

  return self->to;
}

/**
 * cachet_message_info_get_cc:
 * @self: a #CachetMessageInfo
 *
 * Returns: (transfer none): the Cc recipients, formatted, maybe empty.
 */
const char *
cachet_message_info_get_cc (CachetMessageInfo *self)
{
  g_return_val_if_fail (CACHET_IS_MESSAGE_INFO (self), NULL);

  return self->cc;
}

/**
 * cachet_message_info_get_subject:
 * @self: a #CachetMessageInfo
 *
 * Returns: (transfer none) (nullable): the decoded subject.
 */
const char *
cachet_message_info_get_subject (CachetMessageInfo *self)
{
  g_return_val_if_fail (CACHET_IS_MESSAGE_INFO (self), NULL);

  return self->subject;
}

/**
 * cachet_message_info_get_has_attachment:
 * @self: a #CachetMessageInfo
 *
 * Returns: %TRUE if the message has an attachment.
 */
gboolean
cachet_message_info_get_has_attachment (CachetMessageInfo *self)
{
  g_return_val_if_fail (CACHET_IS_MESSAGE_INFO (self), FALSE);

  return self->has_attachment;
}

/**
 * cachet_message_info_get_is_signed:
 * @self: a #CachetMessageInfo
 *
 * A hint for list rows: the message is shaped like a signed one. Whether
 * the signature holds is for the S/MIME layer to say.
 *
 * Returns: %TRUE if the message looks signed.
 */
gboolean
cachet_message_info_get_is_signed (CachetMessageInfo *self)
{
  g_return_val_if_fail (CACHET_IS_MESSAGE_INFO (self), FALSE);

  return self->is_signed;
}

/**
 * cachet_message_info_get_is_encrypted:
 * @self: a #CachetMessageInfo
 *
 * A hint for list rows, like cachet_message_info_get_is_signed().
 *
 * Returns: %TRUE if the message looks encrypted.
 */
gboolean
cachet_message_info_get_is_encrypted (CachetMessageInfo *self)
{
  g_return_val_if_fail (CACHET_IS_MESSAGE_INFO (self), FALSE);

  return self->is_encrypted;
}

/**
 * cachet_message_info_get_mss_header:
 * @self: a #CachetMessageInfo
 * @name: an X-MSS-* header name, any case
 *
 * Returns: (transfer none) (nullable): the value of the first such header.
 */
const char *
cachet_message_info_get_mss_header (CachetMessageInfo *self,
                                    const char        *name)
{
  gsize length;

  g_return_val_if_fail (CACHET_IS_MESSAGE_INFO (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  length = strlen (name);
  for (guint i = 0; self->mss_headers[i] != NULL; i++)
    {
      const char *line = self->mss_headers[i];

      if (g_ascii_strncasecmp (line, name, length) == 0 && line[length] == ':')
        return line[length + 1] == ' ' ? line + length + 2 : line + length + 1;
    }
  return NULL;
}

/**
 * cachet_message_info_get_mime_issues:
 * @self: a #CachetMessageInfo
 *
 * Returns: the #CachetMimeIssues found when the message was indexed: if any,
 *   the message may read differently elsewhere.
 */
guint
cachet_message_info_get_mime_issues (CachetMessageInfo *self)
{
  g_return_val_if_fail (CACHET_IS_MESSAGE_INFO (self), 0);

  return self->mime_issues;
}
