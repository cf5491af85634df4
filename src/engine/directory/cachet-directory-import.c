/* cachet-directory-import.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cachet-directory-error.h"
#include "cachet-directory-import-private.h"
#include "cachet-directory-parser.h"
#include "cachet-sqlite-private.h"

/* Builds a new directory database from an extract, streaming: one line in
 * memory at a time, rows written in batches through prepared statements, so
 * the peak memory does not grow with the file. The database is built in a
 * temporary file next to the old one and renamed over it only once complete
 * and synced: any failure leaves the old one as it was. */

#define READ_CHUNK_BYTES     (64 * 1024)
/* The real extract is about 90 MB of text; this only stops a zip bomb. */
#define MAX_EXTRACT_BYTES    (G_GUINT64_CONSTANT (2) << 30)
#define ROWS_PER_TRANSACTION 20000
#define ROWS_PER_CHECK       4096
/* Enough for the B-trees being filled; the rest goes to the file. */
#define CACHE_SIZE_KIB       16384

static const char schema[] =
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
  /* One row per person or structure. The *_key columns are folded with
   * cachet_directory_fold() for ranking and filters. */
  "CREATE TABLE entries ("
  "  id INTEGER PRIMARY KEY,"
  "  key TEXT NOT NULL UNIQUE,"
  "  is_organisation INTEGER NOT NULL,"
  "  civility TEXT NOT NULL,"
  "  first_name TEXT NOT NULL,"
  "  last_name TEXT NOT NULL,"
  "  profession TEXT NOT NULL,"
  "  specialty TEXT NOT NULL,"
  "  national_id TEXT NOT NULL,"
  "  last_key TEXT NOT NULL,"
  "  name_key TEXT NOT NULL,"
  "  reversed_key TEXT NOT NULL,"
  "  profession_key TEXT NOT NULL,"
  "  specialty_key TEXT NOT NULL);"
  /* One row per mailbox; the address is the only key the extract has. */
  "CREATE TABLE mailboxes ("
  "  id INTEGER PRIMARY KEY,"
  "  address TEXT NOT NULL UNIQUE,"
  "  entry_id INTEGER NOT NULL,"
  "  type INTEGER NOT NULL,"
  "  organisation TEXT NOT NULL,"
  "  service TEXT NOT NULL,"
  "  street TEXT NOT NULL,"
  "  postcode TEXT NOT NULL,"
  "  city TEXT NOT NULL,"
  "  department TEXT NOT NULL,"
  "  city_key TEXT NOT NULL,"
  "  department_key TEXT NOT NULL);"
  /* Contentless: the text is in the tables above. detail=column is enough
   * for prefix and column-filtered queries and halves the index. Prefixes of
   * up to six letters are indexed: without, a prefix such as "medec" merges
   * the lists of every word that starts with it (a fifth of the entries)
   * at each search. */
  "CREATE VIRTUAL TABLE entries_fts USING fts5("
  "  name, profession, organisation, place, mailbox,"
  "  content='', detail=column, prefix='1 2 3 4 5 6',"
  "  tokenize='unicode61 remove_diacritics 2');";

/* What a search looks at: names, profession and specialty, structures and
 * services, places (not streets), and of each address its local part and the
 * first label of its domain ("chu-lyon"): the rest of the domain, the same
 * on every row, would only make the index bigger and slower. */
static const char finish_sql[] =
  "CREATE INDEX mailboxes_entry ON mailboxes (entry_id);"
  "CREATE INDEX entries_last_key ON entries (last_key);"
  "INSERT INTO entries_fts (rowid, name, profession, organisation, place, mailbox)"
  "  SELECT e.id, e.first_name || ' ' || e.last_name,"
  "         e.profession || ' ' || e.specialty,"
  "         group_concat (m.organisation || ' ' || m.service, ' '),"
  "         group_concat (m.city || ' ' || m.postcode || ' ' || m.department, ' '),"
  "         group_concat (m.local_part || ' ' || substr (m.domain, 1, instr (m.domain || '.', '.') - 1), ' ')"
  "  FROM entries AS e"
  "  JOIN (SELECT entry_id, organisation, service, city, postcode, department,"
  "               substr (address, 1, instr (address, '@') - 1) AS local_part,"
  "               substr (address, instr (address, '@') + 1) AS domain"
  "        FROM mailboxes) AS m ON m.entry_id = e.id"
  "  GROUP BY e.id;";

/* Where the bytes come from: the text file itself, or the text file inside
 * the zip the publisher serves. */
typedef struct
{
  GInputStream   *stream;
  GCancellable   *cancellable;
  struct archive *archive;
  GError         *stream_error;
  char           *entry_name;
  guint64         consumed;
  guint64         total;
  guint64         produced;
  char            chunk[READ_CHUNK_BYTES];
} Source;

typedef struct
{
  Source   *source;
  char      buffer[CACHET_DIRECTORY_MAX_LINE_BYTES + 1];
  gsize     start;
  gsize     end;
  gboolean  eof;
  gboolean  discarding;
  guint64   number;
  gboolean  ended_without_newline;
} LineReader;

typedef struct
{
  sqlite3                     *db;
  sqlite3_stmt                *insert_entry;
  sqlite3_stmt                *insert_mailbox;
  CachetDirectoryImportReport *report;
  GString                     *key;
  GString                     *street;
} Builder;

static gboolean
set_sqlite_error (GError     **error,
                  sqlite3     *db)
{
  g_set_error (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_FAILED,
               _("Cannot write the directory: %s"), sqlite3_errmsg (db));
  return FALSE;
}

static gboolean
exec (sqlite3     *db,
      const char  *sql,
      GError     **error)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return set_sqlite_error (error, db);
  return TRUE;
}

static la_ssize_t
archive_read_cb (struct archive  *archive,
                 void            *data,
                 const void     **buffer)
{
  Source *source = data;
  gssize n = g_input_stream_read (source->stream, source->chunk, sizeof source->chunk,
                                  source->cancellable, &source->stream_error);

  if (n < 0)
    {
      archive_set_error (archive, EIO, "%s", source->stream_error->message);
      return -1;
    }
  source->consumed += (guint64) n;
  *buffer = source->chunk;
  return n;
}

static void
source_clear (Source *source)
{
  if (source->archive != NULL)
    archive_read_free (source->archive);
  g_clear_object (&source->stream);
  g_clear_error (&source->stream_error);
  g_clear_pointer (&source->entry_name, g_free);
}

static gboolean
has_txt_suffix (const char *name)
{
  gsize length = strlen (name);

  return length > 4 && g_ascii_strcasecmp (name + length - 4, ".txt") == 0;
}

/* Positions the archive on its first text file. */
static gboolean
source_open_archive (Source  *source,
                     GError **error)
{
  struct archive_entry *entry;
  int rc;

  source->archive = archive_read_new ();
  archive_read_support_format_zip (source->archive);
  if (archive_read_open (source->archive, source, NULL, archive_read_cb, NULL) != ARCHIVE_OK)
    goto damaged;

  while ((rc = archive_read_next_header (source->archive, &entry)) == ARCHIVE_OK)
    {
      const char *name = archive_entry_pathname (entry);

      if (archive_entry_filetype (entry) == AE_IFREG && name != NULL && has_txt_suffix (name))
        {
          source->entry_name = g_path_get_basename (name);
          return TRUE;
        }
      if (archive_read_data_skip (source->archive) != ARCHIVE_OK)
        goto damaged;
    }
  if (rc == ARCHIVE_EOF)
    {
      g_set_error_literal (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_INVALID_FILE,
                           _("The archive holds no text file: it is not an Annuaire Santé extract."));
      return FALSE;
    }

damaged:
  if (source->stream_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&source->stream_error));
      return FALSE;
    }
  g_set_error (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_TRUNCATED,
               _("The archive is damaged or incomplete (%s): download the extract again."),
               archive_error_string (source->archive));
  return FALSE;
}

static gboolean
source_open (Source        *source,
             GFile         *file,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GFileInfo) info = NULL;
  static const char zip_magic[] = "PK\x03\x04";
  char magic[4];
  gsize n_read = 0;

  source->cancellable = cancellable;
  if ((stream = g_file_read (file, cancellable, error)) == NULL)
    return FALSE;
  info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable, error);
  if (info == NULL)
    return FALSE;
  source->total = (guint64) g_file_info_get_size (info);
  source->stream = G_INPUT_STREAM (g_steal_pointer (&stream));

  if (!g_input_stream_read_all (source->stream, magic, sizeof magic, &n_read, cancellable, error)
      || !g_seekable_seek (G_SEEKABLE (source->stream), 0, G_SEEK_SET, cancellable, error))
    return FALSE;

  if (n_read == sizeof magic && memcmp (magic, zip_magic, sizeof magic) == 0)
    return source_open_archive (source, error);

  source->entry_name = g_file_get_basename (file);
  return TRUE;
}

/* Returns the number of bytes read, 0 at the end, -1 on error. */
static gssize
source_read (Source  *source,
             char    *buffer,
             gsize    size,
             GError **error)
{
  gssize n;

  if (source->archive != NULL)
    {
      n = archive_read_data (source->archive, buffer, size);
      if (n < 0)
        {
          if (source->stream_error != NULL)
            g_propagate_error (error, g_steal_pointer (&source->stream_error));
          else
            g_set_error (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_TRUNCATED,
                         _("The archive is damaged or incomplete (%s): download the extract again."),
                         archive_error_string (source->archive));
          return -1;
        }
    }
  else
    {
      n = g_input_stream_read (source->stream, buffer, size, source->cancellable, error);
      if (n < 0)
        return -1;
      source->consumed += (guint64) n;
    }

  source->produced += (guint64) n;
  if (source->produced > MAX_EXTRACT_BYTES)
    {
      g_set_error (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_TOO_LARGE,
                   _("The extract is larger than %s: it is not an Annuaire Santé extract."),
                   "2 GB");
      return -1;
    }
  return n;
}

/* Gives the next line, NUL-terminated in place, without its '\n'. A line
 * longer than the buffer is skipped to its end and given with @too_long set
 * (its bytes are not kept). Returns FALSE at the end of the data or on
 * error. */
static gboolean
line_reader_next (LineReader  *reader,
                  char       **line,
                  gsize       *length,
                  gboolean    *too_long,
                  GError     **error)
{
  const gsize capacity = sizeof reader->buffer - 1;

  for (;;)
    {
      char *start = reader->buffer + reader->start;
      char *newline = memchr (start, '\n', reader->end - reader->start);
      gssize n;

      if (newline != NULL || (reader->eof && reader->end > reader->start)
          || (reader->eof && reader->discarding))
        {
          char *stop = newline != NULL ? newline : reader->buffer + reader->end;

          *stop = '\0';
          *line = start;
          *length = (gsize) (stop - start);
          *too_long = reader->discarding;
          reader->discarding = FALSE;
          reader->start = newline != NULL ? (gsize) (newline + 1 - reader->buffer) : reader->end;
          reader->ended_without_newline = newline == NULL;
          reader->number++;
          return TRUE;
        }
      if (reader->eof)
        return FALSE;

      if (reader->start > 0)
        {
          memmove (reader->buffer, start, reader->end - reader->start);
          reader->end -= reader->start;
          reader->start = 0;
        }
      if (reader->end == capacity)
        {
          reader->discarding = TRUE;
          reader->end = 0;
        }

      n = source_read (reader->source, reader->buffer + reader->end, capacity - reader->end, error);
      if (n < 0)
        return FALSE;
      if (n == 0)
        reader->eof = TRUE;
      reader->end += (gsize) n;
    }
}

static void
bind_text (sqlite3_stmt *statement,
           int           index,
           const char   *text)
{
  sqlite3_bind_text (statement, index, text, -1, SQLITE_TRANSIENT);
}

static void
bind_folded (sqlite3_stmt *statement,
             int           index,
             const char   *text)
{
  sqlite3_bind_text (statement, index, cachet_directory_fold (text), -1, g_free);
}

static void
append_part (GString    *out,
             const char *part,
             const char *separator)
{
  if (part[0] == '\0')
    return;
  if (out->len > 0)
    g_string_append (out, separator);
  g_string_append (out, part);
}

/* The street part of the postal address on one line: "Bâtiment B, 12 bis
 * rue de la Paix". */
static const char *
build_street (Builder                  *builder,
              const CachetDirectoryRow *row)
{
  g_autoptr(GString) number_line = g_string_new (NULL);
  GString *street = builder->street;

  append_part (number_line, row->fields[CACHET_DIRECTORY_FIELD_STREET_NUMBER], " ");
  append_part (number_line, row->fields[CACHET_DIRECTORY_FIELD_STREET_NUMBER_SUFFIX], " ");
  append_part (number_line, row->fields[CACHET_DIRECTORY_FIELD_STREET_TYPE], " ");
  append_part (number_line, row->fields[CACHET_DIRECTORY_FIELD_STREET_NAME], " ");

  g_string_truncate (street, 0);
  append_part (street, row->fields[CACHET_DIRECTORY_FIELD_LOCATION], ", ");
  append_part (street, row->fields[CACHET_DIRECTORY_FIELD_DISTRIBUTION], ", ");
  append_part (street, number_line->str, ", ");
  append_part (street, row->fields[CACHET_DIRECTORY_FIELD_LOCALITY], ", ");
  return street->str;
}

/* The delivery line is "69003 LYON": the city is what follows the postcode. */
static const char *
city_of (const CachetDirectoryRow *row)
{
  const char *line = row->fields[CACHET_DIRECTORY_FIELD_DELIVERY_LINE];
  const char *postcode = row->fields[CACHET_DIRECTORY_FIELD_POSTCODE];

  if (postcode[0] != '\0' && g_str_has_prefix (line, postcode))
    line += strlen (postcode);
  while (*line == ' ')
    line++;
  return line;
}

static gboolean
is_person_mailbox (const char *type)
{
  return g_str_equal (type, "PER") || g_str_equal (type, "CAB");
}

/* Rows of one person share the national identifier; rows of one structure
 * its identifier. Anything else stands alone under its address. */
static const char *
entry_key (Builder                  *builder,
           const CachetDirectoryRow *row,
           gboolean                  is_person)
{
  const char * const *f = row->fields;

  g_string_truncate (builder->key, 0);
  if (is_person && f[CACHET_DIRECTORY_FIELD_NATIONAL_ID][0] != '\0')
    g_string_append_printf (builder->key, "pp:%s", f[CACHET_DIRECTORY_FIELD_NATIONAL_ID]);
  else if (is_person && f[CACHET_DIRECTORY_FIELD_PERSON_ID][0] != '\0')
    g_string_append_printf (builder->key, "pp:%s:%s", f[CACHET_DIRECTORY_FIELD_PERSON_ID_TYPE],
                            f[CACHET_DIRECTORY_FIELD_PERSON_ID]);
  else if (!is_person && f[CACHET_DIRECTORY_FIELD_STRUCTURE_ID][0] != '\0')
    g_string_append_printf (builder->key, "st:%s:%s", f[CACHET_DIRECTORY_FIELD_STRUCTURE_ID_TYPE],
                            f[CACHET_DIRECTORY_FIELD_STRUCTURE_ID]);
  else
    g_string_append_printf (builder->key, "bal:%s", f[CACHET_DIRECTORY_FIELD_MAILBOX_ADDRESS]);
  return builder->key->str;
}

static const char *
organisation_name (const CachetDirectoryRow *row)
{
  static const CachetDirectoryField candidates[] = {
    CACHET_DIRECTORY_FIELD_ORGANISATION,
    CACHET_DIRECTORY_FIELD_TRADE_NAME,
    CACHET_DIRECTORY_FIELD_SERVICE,
  };

  for (gsize i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      if (row->fields[candidates[i]][0] != '\0')
        return row->fields[candidates[i]];
    }
  return row->fields[CACHET_DIRECTORY_FIELD_MAILBOX_ADDRESS];
}

static gboolean
builder_add_row (Builder                   *builder,
                 const CachetDirectoryRow  *row,
                 GError                   **error)
{
  const char * const *f = row->fields;
  const char *type = f[CACHET_DIRECTORY_FIELD_MAILBOX_TYPE];
  CachetDirectoryMailboxType mailbox_type = CACHET_DIRECTORY_MAILBOX_PERSONAL;
  gboolean is_person = is_person_mailbox (type) && f[CACHET_DIRECTORY_FIELD_LAST_NAME][0] != '\0';
  const char *first_name = is_person ? f[CACHET_DIRECTORY_FIELD_FIRST_NAME] : "";
  const char *last_name = is_person ? f[CACHET_DIRECTORY_FIELD_LAST_NAME] : organisation_name (row);
  g_autofree char *name = g_strconcat (first_name, " ", last_name, NULL);
  g_autofree char *reversed = g_strconcat (last_name, " ", first_name, NULL);
  sqlite3_stmt *statement = builder->insert_entry;
  sqlite3_int64 entry_id;
  const char *city = city_of (row);

  cachet_directory_mailbox_type_from_code (type, &mailbox_type);

  bind_text (statement, 1, entry_key (builder, row, is_person));
  sqlite3_bind_int (statement, 2, !is_person);
  bind_text (statement, 3, is_person ? f[CACHET_DIRECTORY_FIELD_CIVILITY] : "");
  bind_text (statement, 4, first_name);
  bind_text (statement, 5, last_name);
  bind_text (statement, 6, is_person ? f[CACHET_DIRECTORY_FIELD_PROFESSION] : "");
  bind_text (statement, 7, is_person ? f[CACHET_DIRECTORY_FIELD_SPECIALTY] : "");
  bind_text (statement, 8, is_person ? f[CACHET_DIRECTORY_FIELD_NATIONAL_ID] : "");
  bind_folded (statement, 9, last_name);
  bind_folded (statement, 10, name);
  bind_folded (statement, 11, reversed);
  bind_folded (statement, 12, is_person ? f[CACHET_DIRECTORY_FIELD_PROFESSION] : "");
  bind_folded (statement, 13, is_person ? f[CACHET_DIRECTORY_FIELD_SPECIALTY] : "");
  if (sqlite3_step (statement) != SQLITE_ROW)
    {
      sqlite3_reset (statement);
      return set_sqlite_error (error, builder->db);
    }
  entry_id = sqlite3_column_int64 (statement, 0);
  sqlite3_reset (statement);

  statement = builder->insert_mailbox;
  bind_text (statement, 1, f[CACHET_DIRECTORY_FIELD_MAILBOX_ADDRESS]);
  sqlite3_bind_int64 (statement, 2, entry_id);
  sqlite3_bind_int (statement, 3, (int) mailbox_type);
  bind_text (statement, 4, f[CACHET_DIRECTORY_FIELD_ORGANISATION][0] != '\0' ?
                           f[CACHET_DIRECTORY_FIELD_ORGANISATION] :
                           f[CACHET_DIRECTORY_FIELD_TRADE_NAME]);
  bind_text (statement, 5, f[CACHET_DIRECTORY_FIELD_SERVICE]);
  bind_text (statement, 6, build_street (builder, row));
  bind_text (statement, 7, f[CACHET_DIRECTORY_FIELD_POSTCODE]);
  bind_text (statement, 8, city);
  bind_text (statement, 9, f[CACHET_DIRECTORY_FIELD_DEPARTMENT]);
  bind_folded (statement, 10, city);
  bind_folded (statement, 11, f[CACHET_DIRECTORY_FIELD_DEPARTMENT]);
  if (sqlite3_step (statement) != SQLITE_DONE)
    {
      sqlite3_reset (statement);
      return set_sqlite_error (error, builder->db);
    }
  sqlite3_reset (statement);

  /* The extract repeats some addresses: the first row wins. */
  if (sqlite3_changes (builder->db) == 0)
    builder->report->duplicates++;
  else
    builder->report->mailboxes++;
  return TRUE;
}

static void
report_malformed (CachetDirectoryImportReport *report,
                  guint64                      line,
                  const char                  *reason)
{
  report->malformed++;
  if (report->malformed_lines->len < CACHET_DIRECTORY_MAX_REPORTED_LINES)
    {
      CachetDirectoryMalformedLine malformed = { line, g_strdup (reason) };

      g_array_append_val (report->malformed_lines, malformed);
    }
}

static void
report_progress (Source                      *source,
                 CachetDirectoryProgressFunc  progress,
                 gpointer                     progress_data,
                 double                      *last_fraction)
{
  double fraction;

  if (progress == NULL || source->total == 0)
    return;
  fraction = MIN (1.0, (double) source->consumed / (double) source->total);
  if (fraction - *last_fraction >= 0.01)
    {
      *last_fraction = fraction;
      progress (fraction, progress_data);
    }
}

static gboolean
read_rows (Builder                     *builder,
           LineReader                  *reader,
           CachetDirectoryProgressFunc  progress,
           gpointer                     progress_data,
           GCancellable                *cancellable,
           GError                     **error)
{
  g_autoptr(GError) local_error = NULL;
  CachetDirectoryHeader header;
  CachetDirectoryRow row;
  char *line;
  gsize length;
  gboolean too_long;
  double last_fraction = 0;
  guint64 rows = 0;
  gboolean last_malformed = FALSE;

  if (!line_reader_next (reader, &line, &length, &too_long, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error_literal (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_INVALID_FILE,
                             _("The file is empty: download the Annuaire Santé extract again."));
      return FALSE;
    }
  if (too_long)
    {
      g_set_error_literal (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_INVALID_FILE,
                           _("The file has no header line: it is not an Annuaire Santé extract."));
      return FALSE;
    }
  if (!cachet_directory_header_parse (&header, line, length, error))
    return FALSE;

  if (!exec (builder->db, "BEGIN", error))
    return FALSE;
  while (line_reader_next (reader, &line, &length, &too_long, &local_error))
    {
      g_autoptr(GError) row_error = NULL;

      if (length == 0 || (length == 1 && line[0] == '\r'))
        continue;

      last_malformed = too_long;
      if (too_long)
        report_malformed (builder->report, reader->number, _("line too long"));
      else if (!cachet_directory_row_parse (&header, line, length, &row, &row_error))
        {
          report_malformed (builder->report, reader->number, row_error->message);
          last_malformed = TRUE;
        }
      else if (row.unlisted)
        builder->report->unlisted++;
      else if (!builder_add_row (builder, &row, error))
        return FALSE;

      if (++rows % ROWS_PER_CHECK == 0)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          report_progress (reader->source, progress, progress_data, &last_fraction);
        }
      if (rows % ROWS_PER_TRANSACTION == 0
          && (!exec (builder->db, "COMMIT", error) || !exec (builder->db, "BEGIN", error)))
        return FALSE;
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (last_malformed && reader->ended_without_newline)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, reader->number);

      g_set_error (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_TRUNCATED,
                   _("The file ends in the middle of line %s: it is incomplete, download it again."),
                   number);
      return FALSE;
    }
  if (builder->report->mailboxes == 0)
    {
      g_set_error_literal (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_INVALID_FILE,
                           _("The file has no mailbox that can be read: it is not an Annuaire Santé extract."));
      return FALSE;
    }
  if (builder->report->malformed > builder->report->mailboxes)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, builder->report->malformed);

      g_set_error (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_INVALID_FILE,
                   _("Most lines of the file cannot be read (%s of them): it is not an Annuaire Santé extract."),
                   count);
      return FALSE;
    }

  if (progress != NULL)
    progress (1.0, progress_data);
  return TRUE;
}

static gboolean
write_meta (sqlite3     *db,
            const char  *key,
            const char  *value,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) statement = NULL;

  if (sqlite3_prepare_v2 (db, "INSERT INTO meta (key, value) VALUES (?1, ?2)", -1,
                          &statement, NULL) != SQLITE_OK)
    return set_sqlite_error (error, db);
  bind_text (statement, 1, key);
  bind_text (statement, 2, value);
  if (sqlite3_step (statement) != SQLITE_DONE)
    return set_sqlite_error (error, db);
  return TRUE;
}

static gboolean
count_entries (sqlite3  *db,
               guint64  *count,
               GError  **error)
{
  g_autoptr(sqlite3_stmt) statement = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT count(*) FROM entries", -1, &statement, NULL) != SQLITE_OK
      || sqlite3_step (statement) != SQLITE_ROW)
    return set_sqlite_error (error, db);
  *count = (guint64) sqlite3_column_int64 (statement, 0);
  return TRUE;
}

static gboolean
finish_database (Builder     *builder,
                 const char  *source_name,
                 GError     **error)
{
  CachetDirectoryImportReport *report = builder->report;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *imported_at = g_date_time_format_iso8601 (now);
  g_autofree char *mailboxes = NULL;
  g_autofree char *entries = NULL;

  if (!exec (builder->db, finish_sql, error) || !count_entries (builder->db, &report->entries, error))
    return FALSE;

  mailboxes = g_strdup_printf ("%" G_GUINT64_FORMAT, report->mailboxes);
  entries = g_strdup_printf ("%" G_GUINT64_FORMAT, report->entries);
  report->extract_date = cachet_directory_date_from_name (source_name);
  return write_meta (builder->db, "format", CACHET_DIRECTORY_FORMAT, error)
         && write_meta (builder->db, "source_name", source_name, error)
         && write_meta (builder->db, "imported_at", imported_at, error)
         && write_meta (builder->db, "entries", entries, error)
         && write_meta (builder->db, "mailboxes", mailboxes, error)
         && (report->extract_date == NULL
             || write_meta (builder->db, "extract_date", report->extract_date, error))
         && exec (builder->db, "COMMIT", error);
}

/**
 * cachet_directory_fsync_path:
 * @path: a file or a folder
 * @is_dir: whether @path is a folder
 * @error: return location for a #GError
 *
 * Makes what was written to @path (or renamed into it) durable.
 */
gboolean
cachet_directory_fsync_path (const char  *path,
                             gboolean     is_dir,
                             GError     **error)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC | (is_dir ? O_DIRECTORY : 0), 0);
  int saved_errno;

  if (fd >= 0 && fsync (fd) == 0)
    return g_close (fd, error);

  saved_errno = errno;
  if (fd >= 0)
    g_close (fd, NULL);
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("Cannot save the directory: %s"), g_strerror (saved_errno));
  return FALSE;
}

static gboolean
build_database (const char                   *temporary_path,
                Source                       *source,
                CachetDirectoryImportReport  *report,
                CachetDirectoryProgressFunc   progress,
                gpointer                      progress_data,
                GCancellable                 *cancellable,
                GError                      **error)
{
  g_autofree LineReader *reader = g_new0 (LineReader, 1);
  g_autoptr(GString) key = g_string_new (NULL);
  g_autoptr(GString) street = g_string_new (NULL);
  g_autoptr(sqlite3_stmt) insert_entry = NULL;
  g_autoptr(sqlite3_stmt) insert_mailbox = NULL;
  g_autofree char *pragmas = NULL;
  Builder builder = { NULL, NULL, NULL, report, key, street };
  gboolean ok;

  if (sqlite3_open_v2 (temporary_path, &builder.db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    {
      ok = set_sqlite_error (error, builder.db);
      sqlite3_close (builder.db);
      return ok;
    }

  /* Nothing needs a journal: until the rename, the file is nobody's. */
  pragmas = g_strdup_printf ("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
                             "PRAGMA locking_mode = EXCLUSIVE; PRAGMA cache_size = -%d;",
                             CACHE_SIZE_KIB);
  reader->source = source;
  ok = exec (builder.db, pragmas, error)
       && exec (builder.db, schema, error);
  if (ok
      && (sqlite3_prepare_v2 (builder.db,
                              "INSERT INTO entries (key, is_organisation, civility, first_name,"
                              "  last_name, profession, specialty, national_id, last_key, name_key,"
                              "  reversed_key, profession_key, specialty_key)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
                              " ON CONFLICT (key) DO UPDATE SET key = excluded.key RETURNING id",
                              -1, &insert_entry, NULL) != SQLITE_OK
          || sqlite3_prepare_v2 (builder.db,
                                 "INSERT INTO mailboxes (address, entry_id, type, organisation,"
                                 "  service, street, postcode, city, department, city_key,"
                                 "  department_key)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
                                 " ON CONFLICT (address) DO NOTHING",
                                 -1, &insert_mailbox, NULL) != SQLITE_OK))
    ok = set_sqlite_error (error, builder.db);
  builder.insert_entry = insert_entry;
  builder.insert_mailbox = insert_mailbox;

  ok = ok
       && read_rows (&builder, reader, progress, progress_data, cancellable, error)
       && !g_cancellable_set_error_if_cancelled (cancellable, error)
       && finish_database (&builder, source->entry_name, error);

  g_clear_pointer (&insert_entry, sqlite3_finalize);
  g_clear_pointer (&insert_mailbox, sqlite3_finalize);
  if (sqlite3_close (builder.db) != SQLITE_OK && ok)
    ok = set_sqlite_error (error, builder.db);
  return ok;
}

/**
 * cachet_directory_import_build:
 * @path: the database to replace (it may not exist yet)
 * @file: the extract, as a zip or as text
 * @progress: (nullable): called in this thread as the file is read
 * @progress_data: data for @progress
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Imports @file into a new database and puts it in place of @path. Blocks:
 * call it from a worker thread.
 *
 * Returns: (transfer full) (nullable): what was imported, or %NULL with
 *   @path untouched
 */
CachetDirectoryImportReport *
cachet_directory_import_build (const char                   *path,
                               GFile                        *file,
                               CachetDirectoryProgressFunc   progress,
                               gpointer                      progress_data,
                               GCancellable                 *cancellable,
                               GError                      **error)
{
  g_autoptr(CachetDirectoryImportReport) report = cachet_directory_import_report_new ();
  g_autofree Source *source = g_new0 (Source, 1);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *basename = g_path_get_basename (path);
  g_autofree char *template = g_strconcat (basename, ".XXXXXX", NULL);
  g_autofree char *temporary_path = NULL;
  int fd;
  gboolean ok;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create the folder of the directory: %s"), g_strerror (saved_errno));
      return NULL;
    }
  temporary_path = g_build_filename (dir, template, NULL);
  if ((fd = g_mkstemp_full (temporary_path, O_RDWR | O_CLOEXEC, 0600)) < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot save the directory: %s"), g_strerror (saved_errno));
      return NULL;
    }
  g_close (fd, NULL);

  ok = source_open (source, file, cancellable, error)
       && build_database (temporary_path, source, report, progress, progress_data, cancellable, error)
       && cachet_directory_fsync_path (temporary_path, FALSE, error);
  source_clear (source);

  if (ok && g_rename (temporary_path, path) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot save the directory: %s"), g_strerror (saved_errno));
      ok = FALSE;
    }
  if (!ok)
    {
      g_unlink (temporary_path);
      return NULL;
    }
  /* The rename is durable once the folder is synced. */
  if (!cachet_directory_fsync_path (dir, TRUE, error))
    return NULL;

  return g_steal_pointer (&report);
}
