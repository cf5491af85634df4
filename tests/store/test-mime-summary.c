/* test-mime-summary.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cachet-message-summary.h"
#include "cachet-test-utils.h"

/* Each data/<name>.eml has a data/<name>.expected key file saying what the
 * summary must hold; the hostile inputs too big to keep as files are built
 * here. */

static const struct
{
  CachetMimeIssues  issue;
  const char       *name;
} issue_names[] = {
  { CACHET_MIME_ISSUE_INVALID_HEADER_NAME, "invalid-header-name" },
  { CACHET_MIME_ISSUE_CONFLICTING_HEADER, "conflicting-header" },
  { CACHET_MIME_ISSUE_CONFLICTING_PARAMETER, "conflicting-parameter" },
  { CACHET_MIME_ISSUE_MULTIPART_WITHOUT_BOUNDARY, "multipart-without-boundary" },
  { CACHET_MIME_ISSUE_NESTING_OVERFLOW, "nesting-overflow" },
  { CACHET_MIME_ISSUE_PART_WITHOUT_HEADERS_OR_CONTENT, "part-without-headers-or-content" },
  { CACHET_MIME_ISSUE_INVALID_ADDRESS_LIST, "invalid-address-list" },
  { CACHET_MIME_ISSUE_NUL_IN_HEADERS, "nul-in-headers" },
  { CACHET_MIME_ISSUE_TOO_DEEP, "too-deep" },
  { CACHET_MIME_ISSUE_TOO_MANY_PARTS, "too-many-parts" },
};

static CachetMimeIssues
issues_from_names (char **names)
{
  CachetMimeIssues issues = CACHET_MIME_ISSUE_NONE;

  for (guint i = 0; names[i] != NULL; i++)
    {
      gboolean known = FALSE;

      for (gsize j = 0; j < G_N_ELEMENTS (issue_names); j++)
        {
          if (g_str_equal (names[i], issue_names[j].name))
            {
              issues |= issue_names[j].issue;
              known = TRUE;
            }
        }
      g_assert_true (known);
    }
  return issues;
}

static GBytes *
load_data_file (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "store", "data", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents;
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

/* Every string of every summary, whatever the input: UTF-8, one line where
 * it should be, bounded. */
static void
assert_clean_line (const char *text)
{
  if (text == NULL)
    return;
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_null (strchr (text, '\n'));
  g_assert_null (strchr (text, '\r'));
  g_assert_cmpuint (strlen (text), <=, 4096);
}

static void
assert_summary_is_sane (CachetMessageSummary *summary)
{
  GPtrArray *lists[] = { summary->to, summary->cc };

  assert_clean_line (summary->message_id);
  assert_clean_line (summary->in_reply_to);
  assert_clean_line (summary->subject);
  if (summary->from != NULL)
    {
      assert_clean_line (summary->from->name);
      assert_clean_line (summary->from->address);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      g_assert_cmpuint (lists[i]->len, <=, 500);
      for (guint j = 0; j < lists[i]->len; j++)
        {
          CachetMessageAddress *address = g_ptr_array_index (lists[i], j);

          assert_clean_line (address->name);
          assert_clean_line (address->address);
        }
    }
  for (guint i = 0; i < summary->references->len; i++)
    assert_clean_line (g_ptr_array_index (summary->references, i));
  g_assert_cmpuint (summary->references->len, <=, 100);
  g_assert_cmpuint (summary->mss_headers->len, <=, 32);
  g_assert_nonnull (summary->body_text);
  g_assert_true (g_utf8_validate (summary->body_text, -1, NULL));
  g_assert_cmpuint (strlen (summary->body_text), <=, CACHET_MESSAGE_SUMMARY_MAX_BODY);
}

/* A key with an empty value expects nothing (NULL or ""). */
static void
check_string (GKeyFile   *expected,
              const char *key,
              const char *actual)
{
  g_autofree char *value = g_key_file_get_string (expected, "summary", key, NULL);

  if (value == NULL)
    return;
  if (*value == '\0')
    g_assert_true (actual == NULL || *actual == '\0');
  else
    g_assert_cmpstr (actual, ==, value);
}

static void
check_boolean (GKeyFile   *expected,
               const char *key,
               gboolean    actual)
{
  g_autoptr(GError) error = NULL;
  gboolean value;

  if (!g_key_file_has_key (expected, "summary", key, NULL))
    return;
  value = g_key_file_get_boolean (expected, "summary", key, &error);
  g_assert_no_error (error);
  g_assert_cmpint (actual, ==, value);
}

static void
test_data_file (gconstpointer data)
{
  const char *name = data;
  g_autofree char *base = g_strndup (name, strlen (name) - strlen (".eml"));
  g_autofree char *expected_name = g_strconcat (base, ".expected", NULL);
  g_autofree char *expected_path = NULL;
  g_autoptr(GKeyFile) expected = g_key_file_new ();
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(CachetMessageSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *date = NULL;
  g_autofree char *to = NULL;
  g_autofree char *cc = NULL;
  g_auto(GStrv) list = NULL;

  expected_path = g_test_build_filename (G_TEST_DIST, "store", "data", expected_name, NULL);
  g_key_file_load_from_file (expected, expected_path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);

  raw = load_data_file (name);
  summary = cachet_message_summary_new_from_bytes (raw, &error);

  if (g_key_file_has_key (expected, "summary", "error", NULL))
    {
      g_assert_error (error, CACHET_MIME_ERROR, CACHET_MIME_ERROR_INVALID);
      g_assert_null (summary);
      return;
    }
  g_assert_no_error (error);
  g_assert_nonnull (summary);
  assert_summary_is_sane (summary);

  check_string (expected, "message-id", summary->message_id);
  check_string (expected, "in-reply-to", summary->in_reply_to);
  if (summary->date != NULL)
    {
      g_autoptr(GDateTime) utc = g_date_time_to_utc (summary->date);

      date = g_date_time_format (utc, "%FT%TZ");
    }
  check_string (expected, "date", date);
  check_string (expected, "from-name", summary->from != NULL ? summary->from->name : NULL);
  check_string (expected, "from-address", summary->from != NULL ? summary->from->address : NULL);
  to = cachet_message_address_list_to_string (summary->to);
  cc = cachet_message_address_list_to_string (summary->cc);
  check_string (expected, "to", to);
  check_string (expected, "cc", cc);
  check_string (expected, "subject", summary->subject);
  check_string (expected, "body", summary->body_text);
  check_boolean (expected, "has-attachment", summary->has_attachment);
  check_boolean (expected, "signed", summary->is_signed);
  check_boolean (expected, "encrypted", summary->is_encrypted);

  list = g_key_file_get_string_list (expected, "summary", "references", NULL, NULL);
  if (list != NULL)
    {
      g_assert_cmpuint (g_strv_length (list), ==, summary->references->len);
      for (guint i = 0; list[i] != NULL; i++)
        g_assert_cmpstr (list[i], ==, g_ptr_array_index (summary->references, i));
    }
  g_clear_pointer (&list, g_strfreev);

  list = g_key_file_get_string_list (expected, "summary", "body-contains", NULL, NULL);
  for (guint i = 0; list != NULL && list[i] != NULL; i++)
    {
      if (strstr (summary->body_text, list[i]) == NULL)
        g_error ("body of %s lacks “%s”", name, list[i]);
    }
  g_clear_pointer (&list, g_strfreev);

  list = g_key_file_get_string_list (expected, "summary", "body-excludes", NULL, NULL);
  for (guint i = 0; list != NULL && list[i] != NULL; i++)
    g_assert_null (strstr (summary->body_text, list[i]));
  g_clear_pointer (&list, g_strfreev);

  list = g_key_file_get_string_list (expected, "summary", "mss", NULL, NULL);
  if (list != NULL)
    {
      g_assert_cmpuint (g_strv_length (list), ==, summary->mss_headers->len);
      for (guint i = 0; list[i] != NULL; i++)
        {
          CachetMessageHeader *header = g_ptr_array_index (summary->mss_headers, i);
          g_autofree char *line = g_strdup_printf ("%s: %s", header->name, header->value);

          g_assert_cmpstr (line, ==, list[i]);
        }
    }
  g_clear_pointer (&list, g_strfreev);

  list = g_key_file_get_string_list (expected, "summary", "issues", NULL, NULL);
  if (list != NULL)
    g_assert_cmphex (summary->issues, ==, issues_from_names (list));
}

static GBytes *
make_deep_multipart (guint depth)
{
  GString *message = g_string_new ("From: a@example.org\r\nSubject: deep\r\nMIME-Version: 1.0\r\n");

  for (guint i = 0; i < depth; i++)
    g_string_append_printf (message,
                            "Content-Type: multipart/mixed; boundary=\"b%u\"\r\n\r\n--b%u\r\n",
                            i, i);
  g_string_append (message, "Content-Type: text/plain\r\n\r\nfond du puits\r\n");
  for (guint i = depth; i > 0; i--)
    g_string_append_printf (message, "--b%u--\r\n", i - 1);

  return g_string_free_to_bytes (message);
}

static void
test_deep_multipart (void)
{
  g_autoptr(GBytes) raw = make_deep_multipart (2000);
  g_autoptr(CachetMessageSummary) summary = NULL;
  g_autoptr(GError) error = NULL;

  summary = cachet_message_summary_new_from_bytes (raw, &error);
  g_assert_no_error (error);
  assert_summary_is_sane (summary);
  g_assert_cmpstr (summary->subject, ==, "deep");
  /* GMime stops at 1024 and says so; we stop far earlier. */
  g_assert_true (summary->issues & CACHET_MIME_ISSUE_NESTING_OVERFLOW);
  g_assert_true (summary->issues & CACHET_MIME_ISSUE_TOO_DEEP);
  g_assert_null (strstr (summary->body_text, "fond du puits"));
}

static void
test_deep_rfc822 (void)
{
  GString *message = g_string_new (NULL);
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(CachetMessageSummary) summary = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 500; i++)
    g_string_append_printf (message, "Subject: niveau %u\r\nContent-Type: message/rfc822\r\n\r\n",
                            i);
  g_string_append (message, "Subject: fond\r\nContent-Type: text/plain\r\n\r\ntexte\r\n");
  raw = g_string_free_to_bytes (message);

  summary = cachet_message_summary_new_from_bytes (raw, &error);
  g_assert_no_error (error);
  assert_summary_is_sane (summary);
  g_assert_cmpstr (summary->subject, ==, "niveau 0");
  g_assert_true (summary->has_attachment);
}

static CachetMimeWalkAction
count_part (GMimeObject *part,
            GMimeObject *parent,
            guint        index,
            guint        depth,
            gpointer     user_data)
{
  guint *count = user_data;

  g_assert_cmpuint (depth, <=, CACHET_MIME_MAX_DEPTH);
  (*count)++;
  return CACHET_MIME_WALK_CONTINUE;
}

static void
test_deep_walk (void)
{
  g_autoptr(GBytes) raw = make_deep_multipart (100);
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  CachetMimeIssues issues;
  guint count = 0;

  message = cachet_mime_parse_message (raw, &error);
  g_assert_no_error (error);
  issues = cachet_mime_walk (g_mime_message_get_mime_part (message), count_part, &count);
  g_assert_cmphex (issues, ==, CACHET_MIME_ISSUE_TOO_DEEP);
  g_assert_cmpuint (count, ==, CACHET_MIME_MAX_DEPTH + 1);
}

static GBytes *
make_many_parts (guint n_parts)
{
  GString *message = g_string_new ("From: a@example.org\r\nSubject: large\r\nMIME-Version: 1.0\r\n"
                                   "Content-Type: multipart/mixed; boundary=\"x\"\r\n\r\n");

  for (guint i = 0; i < n_parts; i++)
    g_string_append_printf (message, "--x\r\nContent-Type: text/plain\r\n\r\npartie %u\r\n", i);
  g_string_append (message, "--x--\r\n");

  return g_string_free_to_bytes (message);
}

static void
test_many_parts (void)
{
  g_autoptr(GBytes) raw = make_many_parts (12000);
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(CachetMessageSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  CachetMimeIssues issues;
  guint count = 0;

  message = cachet_mime_parse_message (raw, &error);
  g_assert_no_error (error);
  issues = cachet_mime_walk (g_mime_message_get_mime_part (message), count_part, &count);
  g_assert_cmphex (issues, ==, CACHET_MIME_ISSUE_TOO_MANY_PARTS);
  g_assert_cmpuint (count, ==, CACHET_MIME_MAX_PARTS);

  summary = cachet_message_summary_new_from_message (message);
  assert_summary_is_sane (summary);
  g_assert_true (summary->issues & CACHET_MIME_ISSUE_TOO_MANY_PARTS);
  g_assert_cmpstr (summary->body_text, ==, "partie 0");
}

static void
test_huge_headers (void)
{
  GString *message = g_string_new ("From: ");
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(CachetMessageSummary) summary = NULL;
  g_autoptr(GError) error = NULL;

  /* A one-megabyte display name, then a megabyte subject on one line, and a
   * recipient list of 20 000 addresses. */
  for (guint i = 0; i < 100000; i++)
    g_string_append (message, "Dupont ");
  g_string_append (message, "<dupont@exemple.fr>\r\nSubject: ");
  for (guint i = 0; i < 262144; i++)
    g_string_append (message, "mot ");
  g_string_append (message, "\r\nTo: ");
  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (message, "%sd%u@exemple.fr", i > 0 ? ", " : "", i);
  g_string_append (message, "\r\nReferences:");
  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (message, " <ref%u@exemple.fr>", i);
  g_string_append (message, "\r\n");
  for (guint i = 0; i < 40; i++)
    g_string_append_printf (message, "X-MSS-Test%u: valeur\r\n", i);
  g_string_append (message, "\r\ncorps\r\n");
  raw = g_string_free_to_bytes (message);

  summary = cachet_message_summary_new_from_bytes (raw, &error);
  g_assert_no_error (error);
  assert_summary_is_sane (summary);
  g_assert_nonnull (summary->from);
  g_assert_cmpstr (summary->from->address, ==, "dupont@exemple.fr");
  g_assert_cmpuint (strlen (summary->from->name), <=, 256);
  g_assert_true (g_str_has_prefix (summary->subject, "mot mot mot"));
  g_assert_cmpuint (strlen (summary->subject), <=, 2048);
  g_assert_cmpuint (summary->to->len, ==, 500);
  g_assert_cmpuint (summary->references->len, ==, 100);
  g_assert_cmpstr (g_ptr_array_index (summary->references, 0), ==, "ref0@exemple.fr");
  g_assert_cmpstr (g_ptr_array_index (summary->references, 99), ==, "ref4999@exemple.fr");
  g_assert_cmpuint (summary->mss_headers->len, ==, 32);
  g_assert_cmpstr (summary->body_text, ==, "corps");
}

static void
test_huge_body (void)
{
  GString *text = g_string_new (NULL);
  g_autofree char *encoded = NULL;
  g_autoptr(GString) message = NULL;
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(CachetMessageSummary) summary = NULL;
  g_autoptr(GError) error = NULL;

  /* Two-byte characters, so that the cut has to fall between them. */
  while (text->len < 1024 * 1024)
    g_string_append (text, "é");
  encoded = g_base64_encode ((const guint8 *) text->str, text->len);
  g_string_free (text, TRUE);

  message = g_string_new ("From: a@example.org\r\nSubject: long\r\nMIME-Version: 1.0\r\n"
                          "Content-Type: text/plain; charset=utf-8\r\n"
                          "Content-Transfer-Encoding: base64\r\n\r\n");
  g_string_append (message, encoded);
  raw = g_bytes_new (message->str, message->len);

  summary = cachet_message_summary_new_from_bytes (raw, &error);
  g_assert_no_error (error);
  assert_summary_is_sane (summary);
  g_assert_cmpuint (strlen (summary->body_text), ==, CACHET_MESSAGE_SUMMARY_MAX_BODY);
}

typedef struct
{
  GString *trace;
  guint    stop_after;
} WalkTrace;

static CachetMimeWalkAction
trace_part (GMimeObject *part,
            GMimeObject *parent,
            guint        index,
            guint        depth,
            gpointer     user_data)
{
  WalkTrace *trace = user_data;
  g_autofree char *type = g_mime_content_type_get_mime_type (g_mime_object_get_content_type (part));

  g_string_append_printf (trace->trace, "%u:%u:%s ", depth, index, type);
  if (--trace->stop_after == 0)
    return CACHET_MIME_WALK_STOP;
  if (g_str_equal (type, "multipart/related"))
    return CACHET_MIME_WALK_SKIP_CHILDREN;
  return CACHET_MIME_WALK_CONTINUE;
}

static void
test_walk_order (void)
{
  static const char message_text[] =
    "From: a@example.org\n"
    "Content-Type: multipart/mixed; boundary=\"m\"\n\n"
    "--m\n"
    "Content-Type: multipart/alternative; boundary=\"a\"\n\n"
    "--a\nContent-Type: text/plain\n\nun\n"
    "--a\nContent-Type: multipart/related; boundary=\"r\"\n\n"
    "--r\nContent-Type: text/html\n\n<p>deux</p>\n"
    "--r--\n"
    "--a--\n"
    "--m\nContent-Type: message/rfc822\n\nSubject: joint\nContent-Type: text/plain\n\ntrois\n"
    "--m\nContent-Type: application/pdf\n\n%PDF\n"
    "--m--\n";
  g_autoptr(GBytes) raw = g_bytes_new_static (message_text, sizeof message_text - 1);
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  WalkTrace trace = { g_string_new (NULL), G_MAXUINT };
  CachetMimeIssues issues;

  message = cachet_mime_parse_message (raw, &error);
  g_assert_no_error (error);

  issues = cachet_mime_walk (g_mime_message_get_mime_part (message), trace_part, &trace);
  g_assert_cmphex (issues, ==, CACHET_MIME_ISSUE_NONE);
  g_assert_cmpstr (trace.trace->str, ==,
                   "0:0:multipart/mixed 1:0:multipart/alternative 2:0:text/plain "
                   "2:1:multipart/related 1:1:message/rfc822 2:0:text/plain 1:2:application/pdf ");

  g_string_truncate (trace.trace, 0);
  trace.stop_after = 3;
  cachet_mime_walk (g_mime_message_get_mime_part (message), trace_part, &trace);
  g_assert_cmpstr (trace.trace->str, ==,
                   "0:0:multipart/mixed 1:0:multipart/alternative 2:0:text/plain ");

  g_string_free (trace.trace, TRUE);
}

static void
test_empty_input (void)
{
  g_autoptr(GBytes) raw = g_bytes_new_static ("", 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(CachetMessageSummary) summary = NULL;

  summary = cachet_message_summary_new_from_bytes (raw, &error);
  g_assert_error (error, CACHET_MIME_ERROR, CACHET_MIME_ERROR_INVALID);
  g_assert_null (summary);
}

static void
test_defaults_untouched (void)
{
  g_autoptr(GBytes) raw = load_data_file ("two-from.eml");
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  message = cachet_mime_parse_message (raw, &error);
  g_assert_no_error (error);
  g_assert_cmphex (cachet_mime_message_get_issues (message), ==,
                   CACHET_MIME_ISSUE_CONFLICTING_HEADER);
  /* The parser options of the process are GMime's own, unchanged. */
  g_assert_null (g_mime_parser_options_get_warning_callback (g_mime_parser_options_get_default ()));
}

/* GMime can warn long after parsing, through the options it copied into
 * every header list: the warning lands on the message while it lives, and
 * is dropped, not written to freed memory, once it is gone. */
static void
test_late_warnings (void)
{
  g_autoptr(GBytes) raw = load_data_file ("forwarded.eml");
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GMimeMessage) inner = NULL;
  g_autoptr(GError) error = NULL;
  GMimeObject *root;
  GMimeObject *attached;

  message = cachet_mime_parse_message (raw, &error);
  g_assert_no_error (error);
  g_assert_cmphex (cachet_mime_message_get_issues (message), ==, CACHET_MIME_ISSUE_NONE);

  g_mime_object_set_header (GMIME_OBJECT (message), "Cc", "<a>b, \"", NULL);
  g_assert_true (cachet_mime_message_get_issues (message) & CACHET_MIME_ISSUE_INVALID_ADDRESS_LIST);

  root = g_mime_message_get_mime_part (message);
  attached = g_mime_multipart_get_part (GMIME_MULTIPART (root), 1);
  g_assert_true (GMIME_IS_MESSAGE_PART (attached));
  inner = g_object_ref (g_mime_message_part_get_message (GMIME_MESSAGE_PART (attached)));
  g_clear_object (&message);

  g_mime_object_set_header (GMIME_OBJECT (inner), "Cc", "<a>b, \"", NULL);
  g_assert_cmphex (cachet_mime_message_get_issues (inner), ==, CACHET_MIME_ISSUE_NONE);
}

static gpointer
parse_repeatedly (gpointer data)
{
  GBytes *raw = data;

  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(CachetMessageSummary) summary = cachet_message_summary_new_from_bytes (raw, NULL);

      g_assert_cmphex (summary->issues, ==, CACHET_MIME_ISSUE_CONFLICTING_HEADER);
    }
  return NULL;
}

static void
test_threads (void)
{
  g_autoptr(GBytes) raw = load_data_file ("two-from.eml");
  GThread *threads[4];

  for (gsize i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("parse", parse_repeatedly, raw);
  for (gsize i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
add_data_tests (void)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "store", "data", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (g_str_has_suffix (name, ".eml"))
        g_ptr_array_add (names, g_strdup (name));
    }
  g_assert_cmpuint (names->len, >, 0);
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);
      g_autofree char *base = g_strndup (file, strlen (file) - strlen (".eml"));
      g_autofree char *path = g_strconcat ("/mime/summary/data/", base, NULL);

      g_test_add_data_func_full (path, g_strdup (file), test_data_file, g_free);
    }
}

int
main (int    argc,
      char **argv)
{
  cachet_test_init (&argc, &argv);
  cachet_mime_init ();

  add_data_tests ();
  g_test_add_func ("/mime/summary/deep-multipart", test_deep_multipart);
  g_test_add_func ("/mime/summary/deep-rfc822", test_deep_rfc822);
  g_test_add_func ("/mime/summary/many-parts", test_many_parts);
  g_test_add_func ("/mime/summary/huge-headers", test_huge_headers);
  g_test_add_func ("/mime/summary/huge-body", test_huge_body);
  g_test_add_func ("/mime/summary/empty", test_empty_input);
  g_test_add_func ("/mime/summary/threads", test_threads);
  g_test_add_func ("/mime/walk/order", test_walk_order);
  g_test_add_func ("/mime/walk/depth-limit", test_deep_walk);
  g_test_add_func ("/mime/parse/defaults-untouched", test_defaults_untouched);
  g_test_add_func ("/mime/parse/late-warnings", test_late_warnings);

  return g_test_run ();
}
