/* test-attachments.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Attachments leaving a message: their content read back exactly, programs
 * kept from being opened, and the private copies written to open them.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <utime.h>

#include "cachet-attachment-cache.h"
#include "cachet-message-render.h"
#include "cachet-mime.h"
#include "cachet-paths.h"
#include "cachet-test-server.h"
#include "cachet-test-utils.h"

/* "Résultats" in base64; a right-to-left override (U+202E) in a name that
 * would read "compte-rendu-exe.pdf" but ends in ".exe"; an attached message. */
static const char mixed_message[] =
  "From: labo@demo.cachet.test\r\n"
  "Subject: Résultats\r\n"
  "MIME-Version: 1.0\r\n"
  "Content-Type: multipart/mixed; boundary=\"b\"\r\n"
  "\r\n"
  "--b\r\n"
  "Content-Type: text/plain; charset=UTF-8\r\n"
  "\r\n"
  "Bonjour\r\n"
  "--b\r\n"
  "Content-Type: application/pdf; name=\"../../compte-rendu.pdf\"\r\n"
  "Content-Disposition: attachment; filename=\"../../compte-rendu.pdf\"\r\n"
  "Content-Transfer-Encoding: base64\r\n"
  "\r\n"
  "UsOpc3VsdGF0cw==\r\n"
  "--b\r\n"
  "Content-Type: application/octet-stream\r\n"
  "Content-Disposition: attachment; filename*=UTF-8''compte-rendu-%E2%80%AEfdp.exe\r\n"
  "\r\n"
  "MZ\r\n"
  "--b\r\n"
  "Content-Type: message/rfc822\r\n"
  "\r\n"
  "Subject: Transmis\r\n"
  "\r\n"
  "Corps\r\n"
  "--b--\r\n";

static CachetMessageRender *
render_mixed (GBytes **raw)
{
  g_autoptr(GError) error = NULL;
  CachetMessageRender *render;

  *raw = g_bytes_new_static (mixed_message, strlen (mixed_message));
  render = cachet_message_render_new_from_bytes (*raw, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (render->attachments->len, ==, 3);
  return render;
}

static void
test_extract_attachments (void)
{
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(CachetMessageRender) render = render_mixed (&raw);
  const CachetMessageAttachment *pdf = g_ptr_array_index (render->attachments, 0);
  const CachetMessageAttachment *program = g_ptr_array_index (render->attachments, 1);
  const CachetMessageAttachment *attached = g_ptr_array_index (render->attachments, 2);
  g_autoptr(GBytes) pdf_data = NULL;
  g_autoptr(GBytes) program_data = NULL;
  g_autoptr(GBytes) attached_data = NULL;
  g_autoptr(GError) error = NULL;

  /* Decoded, and as long as the render said. */
  g_assert_cmpstr (pdf->file_name, ==, "compte-rendu.pdf");
  pdf_data = cachet_message_render_extract_attachment (raw, pdf, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (pdf_data, NULL), g_bytes_get_size (pdf_data), "Résultats", strlen ("Résultats"));
  g_assert_cmpuint (g_bytes_get_size (pdf_data), ==, pdf->size);

  /* The override is gone from the name: the real extension shows. */
  g_assert_cmpstr (program->file_name, ==, "compte-rendu-fdp.exe");
  program_data = cachet_message_render_extract_attachment (raw, program, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (program_data), ==, program->size);

  /* An attached message comes whole. */
  attached_data = cachet_message_render_extract_attachment (raw, attached, &error);
  g_assert_no_error (error);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (attached_data, NULL), g_bytes_get_size (attached_data),
                                  "Subject: Transmis"));
}

static void
test_extract_refuses_other_parts (void)
{
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(CachetMessageRender) render = render_mixed (&raw);
  g_autoptr(CachetMessageAttachment) wrong = cachet_message_attachment_copy (g_ptr_array_index (render->attachments, 0));
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GError) error = NULL;

  /* Another message, or another part than the one listed. */
  wrong->part_index = 1;
  data = cachet_message_render_extract_attachment (raw, wrong, &error);
  g_assert_null (data);
  g_assert_error (error, CACHET_MIME_ERROR, CACHET_MIME_ERROR_INVALID);
  g_clear_error (&error);

  wrong->part_index = 1000;
  data = cachet_message_render_extract_attachment (raw, wrong, &error);
  g_assert_null (data);
  g_assert_error (error, CACHET_MIME_ERROR, CACHET_MIME_ERROR_INVALID);
}

static void
test_programs_are_not_opened (void)
{
  g_autoptr(GBytes) text = g_bytes_new_static ("Résultats normaux", strlen ("Résultats normaux"));
  g_autoptr(GBytes) pe = g_bytes_new_static ("MZ\x90\x00\x03\x00\x00\x00", 8);
  g_autoptr(GBytes) elf = g_bytes_new_static ("\x7f" "ELF\x02\x01\x01\x00", 8);
  g_autoptr(GBytes) script = g_bytes_new_static ("#!/bin/sh\nrm -rf ~\n", 19);

  g_assert_true (cachet_message_render_attachment_can_open ("compte-rendu.pdf", text));
  g_assert_true (cachet_message_render_attachment_can_open ("notes.txt", text));
  g_assert_true (cachet_message_render_attachment_can_open (NULL, text));

  /* By name, whatever the content. */
  g_assert_false (cachet_message_render_attachment_can_open ("compte-rendu-fdp.exe", text));
  g_assert_false (cachet_message_render_attachment_can_open ("facture.PDF.js", text));
  g_assert_false (cachet_message_render_attachment_can_open ("rapport.desktop", text));
  g_assert_false (cachet_message_render_attachment_can_open ("maj.sh", text));
  /* By content, whatever the name. */
  g_assert_false (cachet_message_render_attachment_can_open ("rapport", elf));
  g_assert_false (cachet_message_render_attachment_can_open ("rapport", script));
  g_assert_false (cachet_message_render_attachment_can_open ("setup.msi", pe));
}

static void
test_cache_writes_private_copies (void)
{
  g_autoptr(GBytes) data = g_bytes_new_static ("Résultats", strlen ("Résultats"));
  g_autoptr(GFile) first = NULL;
  g_autoptr(GFile) second = NULL;
  g_autoptr(GFile) hostile = NULL;
  g_autoptr(GFile) root = g_file_new_build_filename (cachet_paths_get_cache_dir (), "open", NULL);
  g_autoptr(GFile) first_dir = NULL;
  g_autoptr(GBytes) read_back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first_path = NULL;
  g_autofree char *first_dir_path = NULL;
  g_autofree char *hostile_name = NULL;
  GStatBuf info;

  first = cachet_attachment_cache_write ("compte-rendu.pdf", data, &error);
  g_assert_no_error (error);
  second = cachet_attachment_cache_write ("compte-rendu.pdf", data, &error);
  g_assert_no_error (error);

  /* Each copy alone in a folder of its own, under the cache, for the user
   * only. */
  first_dir = g_file_get_parent (first);
  g_assert_false (g_file_equal (first, second));
  g_assert_true (g_file_has_parent (first_dir, root));
  first_path = g_file_get_path (first);
  g_assert_true (g_str_has_suffix (first_path, "/compte-rendu.pdf"));
  g_assert_cmpint (g_stat (first_path, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);
  first_dir_path = g_file_get_path (first_dir);
  g_assert_cmpint (g_stat (first_dir_path, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0700);
  read_back = g_file_load_bytes (first, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (read_back, data));

  /* A name is made safe again: never a way out of the folder. */
  hostile = cachet_attachment_cache_write ("../../../.bashrc", data, &error);
  g_assert_no_error (error);
  hostile_name = g_file_get_basename (hostile);
  g_assert_cmpstr (hostile_name, ==, "bashrc");
  g_clear_object (&first_dir);
  first_dir = g_file_get_parent (hostile);
  g_assert_true (g_file_has_parent (first_dir, root));
}

static void
test_cache_clean_keeps_recent_copies (void)
{
  g_autoptr(GBytes) data = g_bytes_new_static ("x", 1);
  g_autoptr(GFile) old = cachet_attachment_cache_write ("ancien.pdf", data, NULL);
  g_autoptr(GFile) recent = cachet_attachment_cache_write ("recent.pdf", data, NULL);
  g_autoptr(GFile) old_dir = g_file_get_parent (old);
  g_autofree char *old_dir_path = g_file_get_path (old_dir);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  struct utimbuf two_days_ago = { 0 };

  two_days_ago.actime = two_days_ago.modtime = g_get_real_time () / G_USEC_PER_SEC - 2 * 24 * 3600;
  g_assert_cmpint (utime (old_dir_path, &two_days_ago), ==, 0);

  cachet_attachment_cache_clean_async (CACHET_ATTACHMENT_CACHE_MAX_AGE, NULL, cachet_test_result_cb, &result);
  g_assert_true (cachet_attachment_cache_clean_finish (cachet_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_false (g_file_query_exists (old, NULL));
  g_assert_false (g_file_query_exists (old_dir, NULL));
  g_assert_true (g_file_query_exists (recent, NULL));
}

int
main (int    argc,
      char **argv)
{
  cachet_test_init (&argc, &argv);
  cachet_mime_init ();

  g_test_add_func ("/attachments/extract", test_extract_attachments);
  g_test_add_func ("/attachments/extract-refuses-other-parts", test_extract_refuses_other_parts);
  g_test_add_func ("/attachments/programs-are-not-opened", test_programs_are_not_opened);
  g_test_add_func ("/attachments/cache/private-copies", test_cache_writes_private_copies);
  g_test_add_func ("/attachments/cache/clean", test_cache_clean_keeps_recent_copies);

  return g_test_run ();
}
