/* test-message-render.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the message view is given to show, headless: body choice, charsets,
 * cid: scoping, attachment names, link policy, hostile trees.
 */

#include "config.h"

#include <string.h>

#include "cachet-message-render.h"
#include "cachet-test-utils.h"

static CachetMessageRender *
render_text (const char *text)
{
  g_autoptr(GBytes) raw = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  CachetMessageRender *render = cachet_message_render_new_from_bytes (raw, &error);

  g_assert_no_error (error);
  g_assert_nonnull (render);
  return render;
}

static void
assert_clean_line (const char *text)
{
  if (text == NULL)
    return;
  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_assert_false (g_unichar_iscntrl (c));
      g_assert_cmpint (g_unichar_type (c), !=, G_UNICODE_FORMAT);
    }
}

static void
assert_addresses_clean (GPtrArray *addresses)
{
  for (guint i = 0; i < addresses->len; i++)
    {
      CachetMessageAddress *address = g_ptr_array_index (addresses, i);

      assert_clean_line (address->name);
      assert_clean_line (address->address);
    }
}

/* What must hold of any render, whatever the input. */
static void
assert_render_sane (const CachetMessageRender *render)
{
  assert_addresses_clean (render->from);
  assert_addresses_clean (render->to);
  assert_addresses_clean (render->cc);
  g_assert_cmpuint (render->from->len, <=, 10);
  assert_clean_line (render->subject);
  g_assert_nonnull (render->body);
  g_assert_true (g_utf8_validate (render->body, -1, NULL));
  g_assert_cmpuint (strlen (render->body), <=, CACHET_MESSAGE_RENDER_MAX_BODY);
  if (render->body_kind != CACHET_MESSAGE_BODY_TEXT && render->body_kind != CACHET_MESSAGE_BODY_HTML)
    g_assert_cmpstr (render->body, ==, "");
  if (render->body_kind != CACHET_MESSAGE_BODY_HTML)
    g_assert_cmpuint (render->inline_parts->len, ==, 0);
  for (guint i = 0; i < render->inline_parts->len; i++)
    {
      const CachetMessageInlinePart *part = g_ptr_array_index (render->inline_parts, i);

      g_assert_true (g_str_has_prefix (part->content_type, "image/"));
      g_assert_nonnull (part->data);
    }
  for (guint i = 0; i < render->attachments->len; i++)
    {
      const CachetMessageAttachment *attachment = g_ptr_array_index (render->attachments, i);

      assert_clean_line (attachment->file_name);
      if (attachment->file_name != NULL)
        {
          g_assert_cmpuint (strlen (attachment->file_name), <=, CACHET_MESSAGE_RENDER_MAX_FILE_NAME);
          g_assert_null (strchr (attachment->file_name, '/'));
          g_assert_null (strchr (attachment->file_name, '\\'));
        }
      g_assert_nonnull (strchr (attachment->content_type, '/'));
    }
}

static const CachetMessageAttachment *
attachment_at (const CachetMessageRender *render,
               guint                      index)
{
  g_assert_cmpuint (index, <, render->attachments->len);
  return g_ptr_array_index (render->attachments, index);
}

static void
test_plain_text (void)
{
  g_autoptr(CachetMessageRender) render = render_text (
    "From: =?UTF-8?Q?Dr_Ren=C3=A9e_L=C3=A9ger?= <renee.leger@exemple.fr>\r\n"
    "To: Accueil <accueil@cabinet.fr>, secretariat@cabinet.fr\r\n"
    "Cc: =?ISO-8859-1?Q?Jos=E9?= <jose@cabinet.fr>\r\n"
    "Subject: =?ISO-8859-1?Q?R=E9sultats_d'analyses?=\r\n"
    "Date: Mon, 19 Jan 2026 11:11:11 +0100\r\n"
    "Content-Type: text/plain; charset=UTF-8\r\n"
    "Content-Transfer-Encoding: 8bit\r\n"
    "\r\n"
    "Bonjour,\r\n\tvoici les r\xc3\xa9sultats <b>pas du HTML</b>.\r\n");
  CachetMessageAddress *from;

  assert_render_sane (render);
  g_assert_cmpint (render->body_kind, ==, CACHET_MESSAGE_BODY_TEXT);
  g_assert_cmpstr (render->body, ==, "Bonjour,\n\tvoici les résultats <b>pas du HTML</b>.\n");
  g_assert_false (render->body_truncated);
  g_assert_cmpuint (render->from->len, ==, 1);
  from = g_ptr_array_index (render->from, 0);
  g_assert_cmpstr (from->name, ==, "Dr Renée Léger");
  g_assert_cmpstr (from->address, ==, "renee.leger@exemple.fr");
  g_assert_cmpuint (render->to->len, ==, 2);
  g_assert_cmpuint (render->cc->len, ==, 1);
  g_assert_cmpstr (((CachetMessageAddress *) g_ptr_array_index (render->cc, 0))->name, ==, "José");
  g_assert_cmpstr (render->subject, ==, "Résultats d'analyses");
  g_assert_nonnull (render->date);
  g_assert_cmpint (g_date_time_get_year (render->date), ==, 2026);
  g_assert_cmpuint (render->attachments->len, ==, 0);
  g_assert_null (cachet_message_render_get_html_document (render));
}

static void
test_two_from_are_both_kept (void)
{
  g_autoptr(CachetMessageRender) render = render_text (
    "From: Directeur <directeur@hopital.fr>\r\n"
    "From: eve@attaquant.example\r\n"
    "Subject: x\r\n"
    "\r\n"
    "corps\r\n");

  assert_render_sane (render);
  g_assert_cmpuint (render->from->len, ==, 2);
  g_assert_true (render->issues & CACHET_MIME_ISSUE_CONFLICTING_HEADER);
}

static void
test_header_bidi_and_controls_removed (void)
{
  g_autoptr(CachetMessageRender) render = render_text (
    "From: =?UTF-8?B?QmFucXVlIOKArmVzaWxvcA==?= <a@b.example>\r\n"
    "Subject: =?UTF-8?Q?A=01B=E2=80=8B=E2=81=A6C?=\r\n"
    "\r\n"
    "x\r\n");
  CachetMessageAddress *from;

  assert_render_sane (render);
  from = g_ptr_array_index (render->from, 0);
  g_assert_cmpstr (from->name, ==, "Banque esilop");
  g_assert_cmpstr (render->subject, ==, "A B C");
}

static void
test_alternative_prefers_html (void)
{
  g_autoptr(CachetMessageRender) render = render_text (
    "From: a@b.example\r\n"
    "Content-Type: multipart/alternative; boundary=alt\r\n"
    "\r\n"
    "--alt\r\n"
    "Content-Type: text/plain; charset=us-ascii\r\n"
    "\r\n"
    "plain version\r\n"
    "--alt\r\n"
    "Content-Type: text/html; charset=utf-8\r\n"
    "\r\n"
    "<p>html version</p>\r\n"
    "--alt--\r\n");

  assert_render_sane (render);
  g_assert_cmpint (render->body_kind, ==, CACHET_MESSAGE_BODY_HTML);
  g_assert_nonnull (strstr (render->body, "<p>html version</p>"));
  /* The other alternative is the same message, not an attachment. */
  g_assert_cmpuint (render->attachments->len, ==, 0);
}

static void
test_alternative_without_html (void)
{
  g_autoptr(CachetMessageRender) render = render_text (
    "From: a@b.example\r\n"
    "Content-Type: multipart/alternative; boundary=alt\r\n"
    "\r\n"
    "--alt\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "plain version\r\n"
    "--alt\r\n"
    "Content-Type: text/enriched\r\n"
    "\r\n"
    "<bold>enriched</bold>\r\n"
    "--alt--\r\n");

  assert_render_sane (render);
  g_assert_cmpint (render->body_kind, ==, CACHET_MESSAGE_BODY_TEXT);
  g_assert_cmpstr (render->body, ==, "plain version");
  g_assert_cmpuint (render->attachments->len, ==, 0);
}

#define PNG_BASE64 "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="

static const char related_message[] =
  "From: a@b.example\r\n"
  "Subject: related\r\n"
  "Content-Type: multipart/mixed; boundary=mix\r\n"
  "\r\n"
  "--mix\r\n"
  "Content-Type: multipart/related; boundary=rel\r\n"
  "\r\n"
  "--rel\r\n"
  "Content-Type: multipart/alternative; boundary=alt\r\n"
  "\r\n"
  "--alt\r\n"
  "Content-Type: text/plain\r\n"
  "\r\n"
  "plain\r\n"
  "--alt\r\n"
  "Content-Type: text/html\r\n"
  "\r\n"
  "<img src=\"cid:logo@cabinet\"><img src=\"cid:sibling@cabinet\">\r\n"
  "--alt--\r\n"
  "--rel\r\n"
  "Content-Type: image/png\r\n"
  "Content-ID: <logo@cabinet>\r\n"
  "Content-Transfer-Encoding: base64\r\n"
  "\r\n"
  PNG_BASE64 "\r\n"
  "--rel\r\n"
  "Content-Type: image/png\r\n"
  "Content-Transfer-Encoding: base64\r\n"
  "\r\n"
  PNG_BASE64 "\r\n"
  "--rel--\r\n"
  "--mix\r\n"
  "Content-Type: image/png\r\n"
  "Content-ID: <sibling@cabinet>\r\n"
  "Content-Transfer-Encoding: base64\r\n"
  "\r\n"
  PNG_BASE64 "\r\n"
  "--mix\r\n"
  "Content-Type: application/pdf; name=\"compte-rendu.pdf\"\r\n"
  "Content-Disposition: attachment; filename=\"compte-rendu.pdf\"\r\n"
  "Content-Transfer-Encoding: base64\r\n"
  "\r\n"
  "JVBERi0xLjQK\r\n"
  "--mix--\r\n";

static void
test_related_cid_is_scoped (void)
{
  g_autoptr(CachetMessageRender) render = render_text (related_message);
  const CachetMessageInlinePart *logo;
  const CachetMessageAttachment *attachment;

  assert_render_sane (render);
  g_assert_cmpint (render->body_kind, ==, CACHET_MESSAGE_BODY_HTML);

  /* Only the image of the multipart/related that holds the body. */
  g_assert_cmpuint (render->inline_parts->len, ==, 1);
  logo = cachet_message_render_lookup_cid (render, "cid:logo@cabinet");
  g_assert_nonnull (logo);
  g_assert_cmpstr (logo->content_id, ==, "logo@cabinet");
  g_assert_cmpstr (logo->content_type, ==, "image/png");
  g_assert_cmpuint (g_bytes_get_size (logo->data), ==, 70);
  g_assert_true (memcmp (g_bytes_get_data (logo->data, NULL), "\x89PNG", 4) == 0);
  g_assert_true (cachet_message_render_lookup_cid (render, "CID:logo%40cabinet") == logo);
  g_assert_true (cachet_message_render_lookup_cid (render, "cid:LOGO@CABINET") == logo);
  g_assert_null (cachet_message_render_lookup_cid (render, "cid:sibling@cabinet"));
  g_assert_null (cachet_message_render_lookup_cid (render, "cid:"));
  g_assert_null (cachet_message_render_lookup_cid (render, "http://logo@cabinet"));
  g_assert_null (cachet_message_render_lookup_cid (render, "cid:logo%00@cabinet"));

  /* The image without Content-ID, the sibling image and the PDF are shown
   * as attachments; the inline logo and the plain alternative are not. */
  g_assert_cmpuint (render->attachments->len, ==, 3);
  attachment = attachment_at (render, 0);
  g_assert_null (attachment->file_name);
  g_assert_cmpstr (attachment->content_type, ==, "image/png");
  g_assert_cmpuint (attachment->size, ==, 70);
  g_assert_cmpuint (attachment->part_index, ==, 6);
  attachment = attachment_at (render, 1);
  g_assert_cmpuint (attachment->part_index, ==, 7);
  attachment = attachment_at (render, 2);
  g_assert_cmpstr (attachment->file_name, ==, "compte-rendu.pdf");
  g_assert_cmpstr (attachment->content_type, ==, "application/pdf");
  g_assert_cmpuint (attachment->size, ==, 9);
  g_assert_cmpuint (attachment->part_index, ==, 8);
}

static void
test_html_document_gets_policy (void)
{
  static const struct
  {
    const char *body;
    const char *before;
  } cases[] = {
    { "<html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src *\"></head></html>", "" },
    { "<!DOCTYPE html>\n<html><body>x</body></html>", "<!DOCTYPE html>" },
    { "  \xef\xbb\xbf<!doctype HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\"><p>x", "  \xef\xbb\xbf<!doctype HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\">" },
    { "<p>fragment</p>", "" },
    { "", "" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *message = g_strdup_printf ("Content-Type: text/html\r\n\r\n%s", cases[i].body);
      g_autoptr(CachetMessageRender) render = render_text (message);
      g_autofree char *document = cachet_message_render_get_html_document (render);
      const char *policy;

      g_assert_cmpint (render->body_kind, ==, CACHET_MESSAGE_BODY_HTML);
      g_assert_nonnull (document);
      g_assert_true (g_str_has_prefix (document, cases[i].before));
      policy = document + strlen (cases[i].before);
      g_assert_true (g_str_has_prefix (policy, "<meta http-equiv=\"Content-Security-Policy\" content=\""
                                               CACHET_MESSAGE_RENDER_CONTENT_SECURITY_POLICY "\">"
                                               "<meta http-equiv=\"x-dns-prefetch-control\" content=\"off\">"));
      g_assert_true (g_str_has_suffix (document, render->body + strlen (cases[i].before)));
    }
}

static void
test_charsets (void)
{
  static const struct
  {
    const char *message;
    gsize       length; /* 0 for strlen() */
    const char *expected;
  } cases[] = {
    { "Content-Type: text/plain; charset=iso-8859-1\r\n\r\ncaf\xe9 \x80", 0, "café €" },
    { "Content-Type: text/plain\r\n\r\nundeclared \xe9t\xe9 \x80", 0, "undeclared été €" },
    { "Content-Type: text/plain; charset=utf-8\r\n\r\nbroken \xc3 utf-8", 0, "broken \xef\xbf\xbd utf-8" },
    { "Content-Type: text/plain; charset=x-unknown-charset\r\n\r\nno \xe9", 0, "no é" },
    { "Content-Type: text/plain; charset=utf-16le\r\n\r\nA\0\xe9\0", 50, "Aé" },
    { "Content-Type: text/plain; charset=windows-1252\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
      "nul=00 and bell=07 and cr=0Dlf", 0, "nul and bell and cr\nlf" },
    { "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
      "nul=00 and bell=07", 0, "nul\xef\xbf\xbd and bell" },
    { "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\nw6lsw6h2ZQ==", 0, "élève" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize length = cases[i].length != 0 ? cases[i].length : strlen (cases[i].message);
      g_autoptr(GBytes) raw = NULL;
      g_autoptr(CachetMessageRender) render = NULL;

      raw = g_bytes_new (cases[i].message, length);
      render = cachet_message_render_new_from_bytes (raw, NULL);
      g_assert_nonnull (render);
      assert_render_sane (render);
      g_assert_cmpint (render->body_kind, ==, CACHET_MESSAGE_BODY_TEXT);
      g_assert_cmpstr (render->body, ==, cases[i].expected);
    }
}

static void
test_html_charset_sniffed (void)
{
  g_autoptr(CachetMessageRender) render = render_text (
    "Content-Type: text/html\r\n\r\n"
    "<html><head><meta charset=\"iso-8859-15\"></head><body>\xa4 \xe9</body></html>");
  g_autoptr(CachetMessageRender) declared = render_text (
    "Content-Type: text/html; charset=utf-8\r\n\r\n"
    "<html><head><meta charset=\"iso-8859-15\"></head><body>\xe2\x82\xac</body></html>");

  g_assert_nonnull (strstr (render->body, "<body>€ é</body>"));
  /* The MIME charset wins: the body was converted by then. */
  g_assert_nonnull (strstr (declared->body, "<body>€</body>"));
}

static void
test_long_body_truncated (void)
{
  g_autoptr(GString) message = g_string_new ("Content-Type: text/plain; charset=utf-8\r\n\r\n");
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(CachetMessageRender) render = NULL;

  while (message->len < CACHET_MESSAGE_RENDER_MAX_BODY + 1024)
    g_string_append (message, "é");
  raw = g_bytes_new (message->str, message->len);
  render = cachet_message_render_new_from_bytes (raw, NULL);
  assert_render_sane (render);
  g_assert_true (render->body_truncated);
  g_assert_cmpuint (strlen (render->body), >, CACHET_MESSAGE_RENDER_MAX_BODY - 4);
}

static void
test_attachment_names (void)
{
  g_autoptr(CachetMessageRender) render = render_text (
    "Content-Type: multipart/mixed; boundary=b\r\n"
    "\r\n"
    "--b\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "voir pièces jointes\r\n"
    "--b\r\n"
    "Content-Type: application/octet-stream\r\n"
    "Content-Disposition: attachment; filename*=UTF-8''facture%E2%80%AEfdp.exe\r\n"
    "\r\n"
    "MZ\r\n"
    "--b\r\n"
    "Content-Type: application/pdf\r\n"
    "Content-Disposition: attachment; filename*=UTF-8''a%01b%09c%0D%0A.pdf\r\n"
    "\r\n"
    "%PDF\r\n"
    "--b\r\n"
    "Content-Type: text/plain; name=\"../../../etc/passwd\"\r\n"
    "\r\n"
    "root\r\n"
    "--b\r\n"
    "Content-Type: APPLICATION/X-Weird\"Type; name=\"=?UTF-8?B?cmFwcG9ydCDigKtmZHAuc2Ny?=\"\r\n"
    "\r\n"
    "x\r\n"
    "--b--\r\n");

  assert_render_sane (render);
  g_assert_cmpint (render->body_kind, ==, CACHET_MESSAGE_BODY_TEXT);
  g_assert_cmpstr (render->body, ==, "voir pièces jointes");
  g_assert_cmpuint (render->attachments->len, ==, 4);
  g_assert_cmpstr (attachment_at (render, 0)->file_name, ==, "facturefdp.exe");
  g_assert_cmpstr (attachment_at (render, 1)->file_name, ==, "ab c .pdf");
  g_assert_cmpstr (attachment_at (render, 2)->file_name, ==, "passwd");
  g_assert_cmpstr (attachment_at (render, 3)->file_name, ==, "rapport fdp.scr");
  g_assert_cmpstr (attachment_at (render, 3)->content_type, ==, "application/x-weird");
}

static void
test_safe_file_name (void)
{
  static const struct
  {
    const char *name;
    const char *safe;
  } cases[] = {
    { NULL, NULL },
    { "", NULL },
    { "  ...  ", NULL },
    { "\xe2\x80\xae", NULL },
    { "compte-rendu.pdf", "compte-rendu.pdf" },
    { "résultat biologie.pdf", "résultat biologie.pdf" },
    { "facture\xe2\x80\xae" "fdp.exe", "facturefdp.exe" },
    { "\xe2\x81\xa7" "exe.pdf\xe2\x81\xa9", "exe.pdf" },
    { "a\x01\x1b[31mb\x7f.txt", "a[31mb.txt" },
    { "C:\\Users\\medecin\\lettre.doc", "lettre.doc" },
    { "../../.bashrc", "bashrc" },
    { "dir/", NULL },
    { "what?<is>:this|\"*.txt", "what__is__this___.txt" },
    { "lettre.pdf. . ", "lettre.pdf" },
    { "con.txt", "_con.txt" },
    { "NUL", "_NUL" },
    { "console.txt", "console.txt" },
    { "a\tb\n\nc", "a b c" },
    { "\xff\xfe" "bad.txt", "\xef\xbf\xbd\xef\xbf\xbd" "bad.txt" },
    { "caf\xc2\x96.txt", "caf\xe2\x80\x93.txt" },
  };
  g_autoptr(GString) long_name = g_string_new (NULL);
  g_autofree char *safe = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *result = cachet_message_render_safe_file_name (cases[i].name);

      g_assert_cmpstr (result, ==, cases[i].safe);
    }

  /* Cut in the middle: the extension stays what it is. */
  for (int i = 0; i < 300; i++)
    g_string_append (long_name, "é");
  g_string_append (long_name, ".pdf.exe");
  safe = cachet_message_render_safe_file_name (long_name->str);
  g_assert_true (g_utf8_validate (safe, -1, NULL));
  g_assert_cmpuint (strlen (safe), <=, CACHET_MESSAGE_RENDER_MAX_FILE_NAME);
  g_assert_true (g_str_has_suffix (safe, "…" ".exe"));
  g_assert_true (g_str_has_prefix (safe, "ééé"));
}

static void
test_link_policy (void)
{
  static const struct
  {
    const char *uri;
    gboolean    can_open;
  } cases[] = {
    { NULL, FALSE },
    { "", FALSE },
    { "https://esante.gouv.fr/", TRUE },
    { "HTTP://Exemple.fr/page?a=b#c", TRUE },
    { "http://banque.fr@attaquant.example/", TRUE },
    { "mailto:secretariat@cabinet.fr?subject=rdv", TRUE },
    { "http:///no-host", FALSE },
    { "https://", FALSE },
    { "javascript:alert(1)", FALSE },
    { "file:///etc/passwd", FALSE },
    { "data:text/html,<script>", FALSE },
    { "cid:logo@cabinet", FALSE },
    { "about:blank", FALSE },
    { "ftp://exemple.fr/", FALSE },
    { "smb://serveur/partage", FALSE },
    { "x-scheme-handler:foo", FALSE },
    { "https://exemple.fr/a b", FALSE },
    { "https://exemple.fr/\x01", FALSE },
    { "https://exemple.fr/\xc3\xa9", FALSE },
    { "relative/path", FALSE },
  };
  g_autoptr(GString) long_uri = g_string_new ("https://exemple.fr/");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (cachet_message_render_link_can_open (cases[i].uri), ==, cases[i].can_open);

  while (long_uri->len < 10000)
    g_string_append_c (long_uri, 'a');
  g_assert_false (cachet_message_render_link_can_open (long_uri->str));
}

static void
test_protected_root (void)
{
  g_autoptr(CachetMessageRender) enveloped = render_text (
    "From: a@b.example\r\n"
    "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"
    "Content-Disposition: attachment; filename=smime.p7m\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "MIAGCSqGSIb3DQEHA6CAMIACAQAxggE=\r\n");
  g_autoptr(CachetMessageRender) encrypted = render_text (
    "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=e\r\n"
    "\r\n"
    "--e\r\n"
    "Content-Type: application/pgp-encrypted\r\n"
    "\r\n"
    "Version: 1\r\n"
    "--e\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "not for display\r\n"
    "--e--\r\n");

  assert_render_sane (enveloped);
  g_assert_cmpint (enveloped->body_kind, ==, CACHET_MESSAGE_BODY_PROTECTED);
  g_assert_cmpuint (enveloped->attachments->len, ==, 0);
  assert_render_sane (encrypted);
  g_assert_cmpint (encrypted->body_kind, ==, CACHET_MESSAGE_BODY_PROTECTED);
  g_assert_cmpuint (encrypted->attachments->len, ==, 0);
}

static void
test_signed_and_nested_protection (void)
{
  g_autoptr(CachetMessageRender) render = render_text (
    "Content-Type: multipart/mixed; boundary=m\r\n"
    "\r\n"
    "--m\r\n"
    "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=s\r\n"
    "\r\n"
    "--s\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "signed text\r\n"
    "--s\r\n"
    "Content-Type: application/pkcs7-signature; name=smime.p7s\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "MIAGCSqGSIb3DQEHAqCA\r\n"
    "--s--\r\n"
    "--m\r\n"
    "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "MIAGCSqGSIb3DQEHA6CA\r\n"
    "--m\r\n"
    "Content-Type: multipart/encrypted; boundary=e\r\n"
    "\r\n"
    "--e\r\n"
    "Content-Type: text/html\r\n"
    "\r\n"
    "<p>hidden</p>\r\n"
    "--e--\r\n"
    "--m--\r\n");

  assert_render_sane (render);
  g_assert_cmpint (render->body_kind, ==, CACHET_MESSAGE_BODY_TEXT);
  g_assert_cmpstr (render->body, ==, "signed text");
  /* The signature is not an attachment; protected data deeper in the tree
   * is, whole, and never shown inline. */
  g_assert_cmpuint (render->attachments->len, ==, 2);
  g_assert_cmpstr (attachment_at (render, 0)->file_name, ==, "smime.p7m");
  g_assert_cmpstr (attachment_at (render, 0)->content_type, ==, "application/pkcs7-mime");
  g_assert_cmpstr (attachment_at (render, 1)->content_type, ==, "multipart/encrypted");
}

static void
test_attached_message (void)
{
  g_autoptr(CachetMessageRender) forwarded = render_text (
    "Subject: Tr: lettre\r\n"
    "Content-Type: multipart/mixed; boundary=f\r\n"
    "\r\n"
    "--f\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "Subject: Lettre de sortie\r\n"
    "Content-Type: text/html\r\n"
    "\r\n"
    "<p>inner</p>\r\n"
    "--f--\r\n");

  assert_render_sane (forwarded);
  /* The attached message's body is not this message's. */
  g_assert_cmpint (forwarded->body_kind, ==, CACHET_MESSAGE_BODY_NONE);
  g_assert_cmpuint (forwarded->attachments->len, ==, 1);
  g_assert_cmpstr (attachment_at (forwarded, 0)->file_name, ==, "Lettre de sortie.eml");
  g_assert_cmpstr (attachment_at (forwarded, 0)->content_type, ==, "message/rfc822");
  g_assert_cmpuint (attachment_at (forwarded, 0)->size, >, 0);
}

static void
test_multipart_without_boundary (void)
{
  g_autoptr(CachetMessageRender) render = render_text (
    "Content-Type: multipart/mixed\r\n"
    "\r\n"
    "texte sans limite\r\n");

  assert_render_sane (render);
  g_assert_cmpint (render->body_kind, ==, CACHET_MESSAGE_BODY_TEXT);
  g_assert_nonnull (strstr (render->body, "texte sans limite"));
}

static void
test_not_a_message (void)
{
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GError) error = NULL;

  g_assert_null (cachet_message_render_new_from_bytes (empty, &error));
  g_assert_error (error, CACHET_MIME_ERROR, CACHET_MIME_ERROR_INVALID);
}

static void
test_deep_nesting_bounded (void)
{
  g_autoptr(GString) message = g_string_new ("Subject: bomb\r\n");
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(CachetMessageRender) render = NULL;

  for (int i = 0; i < 2000; i++)
    g_string_append_printf (message, "Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\n", i, i);
  g_string_append (message, "Content-Type: text/html\r\n\r\n<p>deep</p>\r\n");
  raw = g_bytes_new (message->str, message->len);
  render = cachet_message_render_new_from_bytes (raw, NULL);
  g_assert_nonnull (render);
  assert_render_sane (render);
  g_assert_true (render->issues & (CACHET_MIME_ISSUE_TOO_DEEP | CACHET_MIME_ISSUE_NESTING_OVERFLOW));
}

static void
test_many_parts_bounded (void)
{
  g_autoptr(GString) message = g_string_new ("Content-Type: multipart/mixed; boundary=b\r\n\r\n");
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(CachetMessageRender) render = NULL;

  for (int i = 0; i < 5000; i++)
    g_string_append_printf (message, "--b\r\nContent-Type: image/png; name=%d.png\r\n\r\nx\r\n", i);
  g_string_append (message, "--b--\r\n");
  raw = g_bytes_new (message->str, message->len);
  render = cachet_message_render_new_from_bytes (raw, NULL);
  assert_render_sane (render);
  g_assert_true (render->issues & CACHET_MIME_ISSUE_TOO_MANY_PARTS);
  g_assert_cmpuint (render->attachments->len, <, CACHET_MIME_MAX_PARTS);
}

/* Every prefix of a rich message, as a connection cut at any byte would
 * leave it: no crash, and every render sane. */
static void
test_every_prefix (void)
{
  gsize length = strlen (related_message);

  for (gsize i = 1; i <= length; i++)
    {
      g_autoptr(GBytes) raw = g_bytes_new (related_message, i);
      g_autoptr(CachetMessageRender) render = cachet_message_render_new_from_bytes (raw, NULL);

      if (render != NULL)
        assert_render_sane (render);
    }
}

/* The summary's corpus, rendered: everything it holds stays sane. */
static void
test_corpus (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "store", "data", NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint count = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = NULL;
      g_autofree char *contents = NULL;
      g_autoptr(GBytes) raw = NULL;
      g_autoptr(CachetMessageRender) render = NULL;
      gsize size;

      if (!g_str_has_suffix (name, ".eml"))
        continue;
      file = g_build_filename (path, name, NULL);
      g_assert_true (g_file_get_contents (file, &contents, &size, NULL));
      raw = g_bytes_new (contents, size);
      render = cachet_message_render_new_from_bytes (raw, NULL);
      if (render == NULL)
        continue;
      assert_render_sane (render);
      count++;
      if (g_str_equal (name, "smime-enveloped.eml") || g_str_equal (name, "smime-opaque-signed.eml"))
        g_assert_cmpint (render->body_kind, ==, CACHET_MESSAGE_BODY_PROTECTED);
      if (g_str_equal (name, "inline-image.eml"))
        g_assert_nonnull (cachet_message_render_lookup_cid (render, "cid:logo@cabinet"));
    }
  g_assert_cmpuint (count, >, 10);
}

int
main (int    argc,
      char **argv)
{
  cachet_test_init (&argc, &argv);

  g_test_add_func ("/message-render/plain-text", test_plain_text);
  g_test_add_func ("/message-render/two-from-are-both-kept", test_two_from_are_both_kept);
  g_test_add_func ("/message-render/header-bidi-and-controls-removed", test_header_bidi_and_controls_removed);
  g_test_add_func ("/message-render/alternative-prefers-html", test_alternative_prefers_html);
  g_test_add_func ("/message-render/alternative-without-html", test_alternative_without_html);
  g_test_add_func ("/message-render/related-cid-is-scoped", test_related_cid_is_scoped);
  g_test_add_func ("/message-render/html-document-gets-policy", test_html_document_gets_policy);
  g_test_add_func ("/message-render/charsets", test_charsets);
  g_test_add_func ("/message-render/html-charset-sniffed", test_html_charset_sniffed);
  g_test_add_func ("/message-render/long-body-truncated", test_long_body_truncated);
  g_test_add_func ("/message-render/attachment-names", test_attachment_names);
  g_test_add_func ("/message-render/safe-file-name", test_safe_file_name);
  g_test_add_func ("/message-render/link-policy", test_link_policy);
  g_test_add_func ("/message-render/protected-root", test_protected_root);
  g_test_add_func ("/message-render/signed-and-nested-protection", test_signed_and_nested_protection);
  g_test_add_func ("/message-render/attached-message", test_attached_message);
  g_test_add_func ("/message-render/multipart-without-boundary", test_multipart_without_boundary);
  g_test_add_func ("/message-render/not-a-message", test_not_a_message);
  g_test_add_func ("/message-render/deep-nesting-bounded", test_deep_nesting_bounded);
  g_test_add_func ("/message-render/many-parts-bounded", test_many_parts_bounded);
  g_test_add_func ("/message-render/every-prefix", test_every_prefix);
  g_test_add_func ("/message-render/corpus", test_corpus);

  return g_test_run ();
}
