/* test-imap-utf7.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cachet-imap-error.h"
#include "cachet-imap-utf7.h"
#include "cachet-test-utils.h"

static const struct
{
  const char *utf8;
  const char *mutf7;
} round_trips[] = {
  { "", "" },
  { "INBOX", "INBOX" },
  { "Brouillons", "Brouillons" },
  { "Corbeille", "Corbeille" },
  { "Envoy\303\251s", "Envoy&AOk-s" },
  { "R\303\251sultats labo", "R&AOk-sultats labo" },
  { "\303\211l\303\251ments supprim\303\251s", "&AMk-l&AOk-ments supprim&AOk-s" },
  { "Courrier ind\303\251sirable", "Courrier ind&AOk-sirable" },
  { "Bo\303\256te d'envoi", "Bo&AO4-te d'envoi" },
  { "Archiv\303\251/2024", "Archiv&AOk-/2024" },
  /* RFC 3501 §5.1.3 */
  { "~peter/mail/\345\217\260\345\214\227/\346\227\245\346\234\254\350\252\236",
    "~peter/mail/&U,BTFw-/&ZeVnLIqe-" },
  { "&", "&-" },
  { "A&B", "A&-B" },
  { "&&&", "&-&-&-" },
  { "\303\251&\303\250", "&AOk-&-&AOg-" },
  /* Consecutive characters share one run. */
  { "\303\251\303\251\303\251", "&AOkA6QDp-" },
  { "Lab \342\200\223 Biologie", "Lab &IBM- Biologie" },
  /* Outside the BMP: a surrogate pair. */
  { "\360\237\230\200", "&2D3eAA-" },
  /* Controls are not printable: they are encoded. */
  { "a\tb", "a&AAk-b" },
  { "\177", "&AH8-" },
};

static void
test_round_trips (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (round_trips); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *encoded = cachet_imap_utf7_encode (round_trips[i].utf8, &error);
      g_autofree char *decoded = NULL;

      g_assert_no_error (error);
      g_assert_cmpstr (encoded, ==, round_trips[i].mutf7);
      decoded = cachet_imap_utf7_decode (round_trips[i].mutf7, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (decoded, ==, round_trips[i].utf8);
    }
}

static const struct
{
  const char *mutf7;
  guint       offset;
  const char *reason;
} invalid[] = {
  /* Hostile vector I24 and friends. */
  { "&AGE-", 3, "printable ASCII must not be BASE64-encoded" },
  { "&Jjo", 4, "unterminated BASE64 run" },
  { "&", 1, "unterminated BASE64 run" },
  { "abc&AOk", 7, "unterminated BASE64 run" },
  { "&2D0-", 4, "unpaired high surrogate" },
  { "&2D3YPQ-", 6, "unpaired high surrogate" },
  { "&3gA-", 3, "unpaired low surrogate" },
  { "&AAA-", 3, "encoded NUL character" },
  { "&AAAAAAA-", 3, "encoded NUL character" },
  /* I23: names that decode to "/" or "..", or to "&". */
  { "&AC8-", 3, "printable ASCII must not be BASE64-encoded" },
  { "&AC4ALg-", 3, "printable ASCII must not be BASE64-encoded" },
  { "&ACY-", 3, "printable ASCII must not be BASE64-encoded" },
  /* Non-zero padding, a spare character, a bad character. */
  { "&AOl-", 4, "BASE64 run does not end on a character" },
  { "&AOkA-", 5, "BASE64 run does not end on a character" },
  { "&A-", 2, "BASE64 run does not end on a character" },
  { "&A/k-", 2, "invalid character in BASE64 run" },
  { "&AOk=-", 4, "invalid character in BASE64 run" },
  { "&AO k-", 3, "invalid character in BASE64 run" },
  /* RFC 3501 forbids the null shift "-&". */
  { "&AOk-&AOk-", 5, "two BASE64 runs back to back" },
  /* Raw 8-bit or control bytes are not modified UTF-7. */
  { "Envoy\303\251s", 5, "byte outside printable ASCII" },
  { "a\001", 1, "byte outside printable ASCII" },
  { "a\tb", 1, "byte outside printable ASCII" },
};

static void
test_decode_invalid (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *decoded = cachet_imap_utf7_decode (invalid[i].mutf7, &error);
      g_autofree char *message = NULL;

      message = g_strdup_printf ("Invalid modified UTF-7 mailbox name at byte %u: %s",
                                 invalid[i].offset, invalid[i].reason);
      g_assert_null (decoded);
      g_assert_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_PARSE);
      g_assert_cmpstr (error->message, ==, message);
    }
}

static void
test_decode_ampersands (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *decoded = cachet_imap_utf7_decode ("&AOk-&-&-&AOk--", &error);

  /* A run may follow "&-", which is no run; "-" after a run is plain text. */
  g_assert_no_error (error);
  g_assert_cmpstr (decoded, ==, "\303\251&&\303\251-");
}

static void
test_encode_invalid (void)
{
  static const char * const inputs[] = {
    "\377",
    "Envoy\351s",            /* Latin-1, not UTF-8 */
    "\355\240\200",          /* a surrogate written in UTF-8 */
    "\300\257",              /* overlong "/" */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *encoded = cachet_imap_utf7_encode (inputs[i], &error);

      g_assert_null (encoded);
      g_assert_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_INVALID_ARGUMENT);
    }
}

/* Random names of random characters: decode (encode (x)) == x, and the
 * encoding is the only one the decoder takes, so a second encode gives the
 * same text. */
static void
test_random_round_trips (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260101);

  for (guint n = 0; n < 2000; n++)
    {
      g_autoptr(GString) name = g_string_new (NULL);
      g_autoptr(GError) error = NULL;
      g_autofree char *encoded = NULL;
      g_autofree char *decoded = NULL;
      g_autofree char *again = NULL;
      guint length = (guint) g_rand_int_range (rand, 0, 12);

      for (guint i = 0; i < length; i++)
        {
          gunichar c;

          switch (g_rand_int_range (rand, 0, 4))
            {
            case 0:
              c = (gunichar) g_rand_int_range (rand, 0x20, 0x7f);
              break;
            case 1:
              c = (gunichar) g_rand_int_range (rand, 0x80, 0x800);
              break;
            case 2:
              c = (gunichar) g_rand_int_range (rand, 0x10000, 0x110000);
              break;
            default:
              c = (gunichar) g_rand_int_range (rand, 0x1, 0xd800);
              break;
            }
          g_string_append_unichar (name, c);
        }

      encoded = cachet_imap_utf7_encode (name->str, &error);
      g_assert_no_error (error);
      for (const char *p = encoded; *p != '\0'; p++)
        g_assert_true (*p >= 0x20 && *p < 0x7f);
      decoded = cachet_imap_utf7_decode (encoded, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (decoded, ==, name->str);
      again = cachet_imap_utf7_encode (decoded, &error);
      g_assert_cmpstr (again, ==, encoded);
    }
}

int
main (int    argc,
      char **argv)
{
  cachet_test_init (&argc, &argv);

  g_test_add_func ("/imap/utf7/round-trips", test_round_trips);
  g_test_add_func ("/imap/utf7/random-round-trips", test_random_round_trips);
  g_test_add_func ("/imap/utf7/decode/invalid", test_decode_invalid);
  g_test_add_func ("/imap/utf7/decode/ampersands", test_decode_ampersands);
  g_test_add_func ("/imap/utf7/encode/invalid", test_encode_invalid);

  return g_test_run ();
}
