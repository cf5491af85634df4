/* test-smtp-encoding.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cachet-smtp-encoding.h"
#include "cachet-test-utils.h"

typedef struct
{
  const char *address;
  CachetSmtpAddressCheck expected;
} AddressCase;

static const AddressCase address_cases[] = {
  { "alice@example.org", CACHET_SMTP_ADDRESS_VALID },
  { "bob+tag@example.org", CACHET_SMTP_ADDRESS_VALID },
  { "146026322000196@patient.mssante.fr", CACHET_SMTP_ADDRESS_VALID },
  { "\"quoted.local\"@example.org", CACHET_SMTP_ADDRESS_VALID },
  { "user@[192.0.2.1]", CACHET_SMTP_ADDRESS_VALID },
  { "élodie@exemple.fr", CACHET_SMTP_ADDRESS_NEEDS_SMTPUTF8 },
  { "alice@exémple.fr", CACHET_SMTP_ADDRESS_NEEDS_SMTPUTF8 },
  { "", CACHET_SMTP_ADDRESS_INVALID },
  { "alice", CACHET_SMTP_ADDRESS_INVALID },
  { "@example.org", CACHET_SMTP_ADDRESS_INVALID },
  { "alice@", CACHET_SMTP_ADDRESS_INVALID },
  { "alice@example.org>", CACHET_SMTP_ADDRESS_INVALID },
  { "<alice@example.org", CACHET_SMTP_ADDRESS_INVALID },
  { "alice@example.org> SIZE=1", CACHET_SMTP_ADDRESS_INVALID },
  { "alice@example.org\r\nRCPT TO:<eve@evil.example>", CACHET_SMTP_ADDRESS_INVALID },
  { "alice@example.org\nDATA", CACHET_SMTP_ADDRESS_INVALID },
  { "alice@example.org\rDATA", CACHET_SMTP_ADDRESS_INVALID },
  { "alice smith@example.org", CACHET_SMTP_ADDRESS_INVALID },
  { "alice\t@example.org", CACHET_SMTP_ADDRESS_INVALID },
  { "alice\177@example.org", CACHET_SMTP_ADDRESS_INVALID },
  { "alice\033@example.org", CACHET_SMTP_ADDRESS_INVALID },
  { "al\xe9ice@example.org", CACHET_SMTP_ADDRESS_INVALID },
  { "\"a b\"@example.org", CACHET_SMTP_ADDRESS_INVALID },
};

static void
test_address (void)
{
  g_autofree char *local_65 = g_strnfill (65, 'a');
  g_autofree char *too_local = g_strconcat (local_65, "@example.org", NULL);
  g_autofree char *local_64 = g_strnfill (64, 'a');
  g_autofree char *ok_local = g_strconcat (local_64, "@example.org", NULL);
  g_autofree char *domain = g_strnfill (250, 'd');
  g_autofree char *too_long = g_strconcat ("a@", domain, "ddd", NULL);
  g_autofree char *longest = g_strconcat ("a@", domain, "dd", NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (address_cases); i++)
    {
      g_test_message ("%s", address_cases[i].address);
      g_assert_cmpint (cachet_smtp_address_check (address_cases[i].address), ==,
                       address_cases[i].expected);
    }

  g_assert_cmpint (cachet_smtp_address_check (NULL), ==, CACHET_SMTP_ADDRESS_INVALID);
  g_assert_cmpint (cachet_smtp_address_check (ok_local), ==, CACHET_SMTP_ADDRESS_VALID);
  g_assert_cmpint (cachet_smtp_address_check (too_local), ==, CACHET_SMTP_ADDRESS_INVALID);
  g_assert_cmpint (cachet_smtp_address_check (longest), ==, CACHET_SMTP_ADDRESS_VALID);
  g_assert_cmpint (cachet_smtp_address_check (too_long), ==, CACHET_SMTP_ADDRESS_INVALID);
}

static void
test_xtext (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    /* RFC 3461 §4: "+" and "=" and anything outside "!".."~" are escaped. */
    { "bob@example.org", "bob@example.org" },
    { "bob+tag@example.org", "bob+2Btag@example.org" },
    { "a=b", "a+3Db" },
    { "with space", "with+20space" },
    { "line\r\nbreak", "line+0D+0Abreak" },
    { "tab\t", "tab+09" },
    { "é", "+C3+A9" },
    { "~!", "~!" },
    { "", "" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *encoded = cachet_smtp_xtext_encode (cases[i].in);

      g_assert_cmpstr (encoded, ==, cases[i].out);
    }
}

typedef struct
{
  const char *name;
  const char *message;
  gssize length;             /* -1: strlen */
  const char *expected;      /* the DATA stream, up to and with ".\r\n" */
  gsize size;                /* the SIZE parameter */
  gboolean has_8bit;
  gboolean has_nul;
} DataCase;

static const DataCase data_cases[] = {
  { "crlf", "Subject: x\r\n\r\nbody\r\n", -1,
    "Subject: x\r\n\r\nbody\r\n.\r\n", 20, FALSE, FALSE },
  { "dots", ".\r\n..\r\n.x\r\nx.\r\n", -1,
    "..\r\n...\r\n..x\r\nx.\r\n.\r\n", 15, FALSE, FALSE },
  { "dot-first-line", ".", -1, "..\r\n.\r\n", 3, FALSE, FALSE },
  { "no-final-crlf", "a\r\nlast", -1, "a\r\nlast\r\n.\r\n", 9, FALSE, FALSE },
  { "bare-lf", "a\nb\n.\n", -1, "a\r\nb\r\n..\r\n.\r\n", 9, FALSE, FALSE },
  { "bare-cr", "a\rb\r.\r", -1, "a\r\nb\r\n..\r\n.\r\n", 9, FALSE, FALSE },
  { "cr-cr-lf", "a\r\r\nb", -1, "a\r\n\r\nb\r\n.\r\n", 8, FALSE, FALSE },
  { "lf-cr", "a\n\rb", -1, "a\r\n\r\nb\r\n.\r\n", 8, FALSE, FALSE },
  /* SMTP smuggling: "\n.\r\n" and "\r.\r\n" must not end the data early. */
  { "smuggling-lf", "a\n.\r\nMAIL FROM:<x@y>\r\n", -1,
    "a\r\n..\r\nMAIL FROM:<x@y>\r\n.\r\n", 23, FALSE, FALSE },
  { "smuggling-cr", "a\r.\r\nDATA\r\n", -1, "a\r\n..\r\nDATA\r\n.\r\n", 12, FALSE, FALSE },
  { "8bit", "caf\xc3\xa9\r\n", -1, "caf\xc3\xa9\r\n.\r\n", 7, TRUE, FALSE },
  { "nul", "a\0b\r\n", 5, "a\0b\r\n.\r\n", 5, FALSE, TRUE },
  { "empty-lines", "\r\n\r\n", -1, "\r\n\r\n.\r\n", 4, FALSE, FALSE },
  { "dot-after-empty", "\r\n.", -1, "\r\n..\r\n.\r\n", 5, FALSE, FALSE },
};

static GByteArray *
encode_all (const guint8 *data,
            gsize         length,
            gsize         chunk_size)
{
  GByteArray *out = g_byte_array_new ();
  CachetSmtpDataEncoder encoder;
  GBytes *chunk;

  cachet_smtp_data_encoder_init (&encoder);
  while ((chunk = cachet_smtp_data_encoder_next (&encoder, data, length, chunk_size)) != NULL)
    {
      gsize size;
      const guint8 *bytes = g_bytes_get_data (chunk, &size);

      g_assert_cmpuint (size, <=, chunk_size + 5);
      g_byte_array_append (out, bytes, (guint) size);
      g_bytes_unref (chunk);
    }
  /* Done stays done. */
  g_assert_null (cachet_smtp_data_encoder_next (&encoder, data, length, chunk_size));

  return out;
}

static void
test_data_case (gconstpointer user_data)
{
  const DataCase *c = user_data;
  gsize length = c->length < 0 ? strlen (c->message) : (gsize) c->length;
  gsize expected_length = strlen (c->expected);
  CachetSmtpMessageInfo info;

  if (c->has_nul)
    expected_length = length + strlen (".\r\n");

  cachet_smtp_message_scan ((const guint8 *) c->message, length, &info);
  g_assert_cmpuint (info.size, ==, c->size);
  g_assert_cmpint (info.has_8bit, ==, c->has_8bit);
  g_assert_cmpint (info.has_nul, ==, c->has_nul);

  /* Whatever the chunking, one byte at a time included, the same stream. */
  for (gsize chunk_size = 2; chunk_size <= 64; chunk_size++)
    {
      g_autoptr(GByteArray) out = encode_all ((const guint8 *) c->message, length, chunk_size);

      g_assert_cmpmem (out->data, out->len, c->expected, expected_length);
    }
}

/* Undoes the dot-stuffing of a DATA stream, checking it on the way: only
 * CRLF line breaks, and the only lone "." line is the last. */
static GByteArray *
unstuff (const guint8 *data,
         gsize         length)
{
  GByteArray *out = g_byte_array_new ();
  gsize i = 0;

  while (i < length)
    {
      const guint8 *end = memchr (data + i, '\n', length - i);
      gsize line_end;

      g_assert_nonnull (end);
      line_end = (gsize) (end - data);
      g_assert_cmpuint (line_end, >, i);
      g_assert_cmpint (data[line_end - 1], ==, '\r');
      g_assert_null (memchr (data + i, '\r', line_end - 1 - i));
      if (line_end - 1 - i == 1 && data[i] == '.')
        {
          g_assert_cmpuint (line_end + 1, ==, length);
          return out;
        }
      if (data[i] == '.')
        i++;
      g_byte_array_append (out, data + i, (guint) (line_end + 1 - i));
      i = line_end + 1;
    }

  g_assert_not_reached ();
}

static void
test_data_large (void)
{
  g_autoptr(GByteArray) message = g_byte_array_new ();
  g_autoptr(GByteArray) out = NULL;
  g_autoptr(GByteArray) recovered = NULL;
  CachetSmtpMessageInfo info;
  GRand *rand = g_rand_new_with_seed (42);
  guint chunks = 0;
  CachetSmtpDataEncoder encoder;
  GBytes *chunk;

  /* A few megabytes of lines, a third of them starting with a dot. */
  for (guint i = 0; message->len < 3 * 1024 * 1024; i++)
    {
      g_autofree char *line = g_strdup_printf ("%sline %u %s\r\n",
                                               g_rand_int_range (rand, 0, 3) == 0 ? "." : "",
                                               i, g_rand_boolean (rand) ? "é" : "e");

      g_byte_array_append (message, (const guint8 *) line, (guint) strlen (line));
    }
  g_rand_free (rand);

  cachet_smtp_message_scan (message->data, message->len, &info);
  g_assert_cmpuint (info.size, ==, message->len);
  g_assert_true (info.has_8bit);

  out = g_byte_array_new ();
  cachet_smtp_data_encoder_init (&encoder);
  while ((chunk = cachet_smtp_data_encoder_next (&encoder, message->data, message->len,
                                                 64 * 1024)) != NULL)
    {
      gsize size;
      const guint8 *bytes = g_bytes_get_data (chunk, &size);

      /* Bounded memory: never the whole message at once. */
      g_assert_cmpuint (size, <=, 64 * 1024 + 5);
      g_byte_array_append (out, bytes, (guint) size);
      g_bytes_unref (chunk);
      chunks++;
    }
  g_assert_cmpuint (chunks, >, 40);

  recovered = unstuff (out->data, out->len);
  g_assert_cmpmem (recovered->data, recovered->len, message->data, message->len);
}

int
main (int   argc,
      char *argv[])
{
  cachet_test_init (&argc, &argv);

  g_test_add_func ("/smtp/encoding/address", test_address);
  g_test_add_func ("/smtp/encoding/xtext", test_xtext);
  for (gsize i = 0; i < G_N_ELEMENTS (data_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/smtp/encoding/data/%s", data_cases[i].name);

      g_test_add_data_func (path, &data_cases[i], test_data_case);
    }
  g_test_add_func ("/smtp/encoding/data/large", test_data_large);

  return g_test_run ();
}
