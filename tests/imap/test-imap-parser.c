/* test-imap-parser.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cachet-imap-error.h"
#include "cachet-imap-parser.h"
#include "cachet-imap-sequence-set.h"
#include "cachet-imap-utf7.h"
#include "cachet-test-utils.h"

/* Every table case is parsed whole, one byte at a time and in random chunks,
 * and each way must give the same dump, the one written in the table. */

typedef struct
{
  const char *path;
  const char *input;
  gsize       length;     /* 0: strlen (input) */
  const char *expected;
} ParserCase;

/* Dumping --------------------------------------------------------------- */

static void
dump_bytes (GString    *out,
            const char *data,
            gsize       length)
{
  g_string_append_c (out, '"');
  for (gsize i = 0; i < length; i++)
    {
      guchar c = (guchar) data[i];

      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
        g_string_append_c (out, (char) c);
      else
        g_string_append_printf (out, "\\x%02x", c);
    }
  g_string_append_c (out, '"');
}

static void
dump_value (GString               *out,
            const CachetImapValue *value)
{
  const char *text;
  gsize length;
  guint64 origin;

  switch (cachet_imap_value_get_value_type (value))
    {
    case CACHET_IMAP_VALUE_ATOM:
      g_string_append (out, cachet_imap_value_get_atom (value));
      break;
    case CACHET_IMAP_VALUE_NUMBER:
      g_string_append_printf (out, "#%s", cachet_imap_value_get_string (value, NULL));
      break;
    case CACHET_IMAP_VALUE_QUOTED:
      text = cachet_imap_value_get_string (value, &length);
      dump_bytes (out, text, length);
      break;
    case CACHET_IMAP_VALUE_LITERAL:
      {
        g_autoptr(GBytes) bytes = cachet_imap_value_dup_bytes (value);

        g_string_append_printf (out, "{%" G_GSIZE_FORMAT "}", g_bytes_get_size (bytes));
        dump_bytes (out, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      }
      break;
    case CACHET_IMAP_VALUE_NIL:
      g_assert_true (cachet_imap_value_is_nil (value));
      g_string_append (out, "NIL");
      break;
    case CACHET_IMAP_VALUE_LIST:
      g_string_append_c (out, '(');
      for (guint i = 0; i < cachet_imap_value_get_n_children (value); i++)
        {
          if (i > 0)
            g_string_append_c (out, ' ');
          dump_value (out, cachet_imap_value_get_child (value, i));
        }
      g_string_append_c (out, ')');
      break;
    case CACHET_IMAP_VALUE_SECTION:
      g_string_append (out, cachet_imap_value_get_section_key (value));
      if (cachet_imap_value_get_section_origin (value, &origin))
        g_string_append_printf (out, "<%" G_GUINT64_FORMAT ">", origin);
      break;
    default:
      g_assert_not_reached ();
    }
}

static const char *
response_type_name (CachetImapResponseType type)
{
  switch (type)
    {
    case CACHET_IMAP_RESPONSE_STATUS: return "STATUS";
    case CACHET_IMAP_RESPONSE_CONTINUATION: return "CONTINUATION";
    case CACHET_IMAP_RESPONSE_CAPABILITY: return "CAPABILITY";
    case CACHET_IMAP_RESPONSE_ENABLED: return "ENABLED";
    case CACHET_IMAP_RESPONSE_LIST: return "LIST";
    case CACHET_IMAP_RESPONSE_LSUB: return "LSUB";
    case CACHET_IMAP_RESPONSE_MAILBOX_STATUS: return "MAILBOX_STATUS";
    case CACHET_IMAP_RESPONSE_FLAGS: return "FLAGS";
    case CACHET_IMAP_RESPONSE_EXISTS: return "EXISTS";
    case CACHET_IMAP_RESPONSE_RECENT: return "RECENT";
    case CACHET_IMAP_RESPONSE_EXPUNGE: return "EXPUNGE";
    case CACHET_IMAP_RESPONSE_FETCH: return "FETCH";
    case CACHET_IMAP_RESPONSE_SEARCH: return "SEARCH";
    case CACHET_IMAP_RESPONSE_ESEARCH: return "ESEARCH";
    case CACHET_IMAP_RESPONSE_VANISHED: return "VANISHED";
    case CACHET_IMAP_RESPONSE_OTHER: return "OTHER";
    default: g_assert_not_reached ();
    }
}

/* One line per response:
 *   TYPE tag-or-*-or-+ [#number] NAME [data…] [[CODE args ~"raw"]] ["text"] */
static void
dump_response (GString            *out,
               CachetImapResponse *response)
{
  const CachetImapValue *data = cachet_imap_response_get_data (response);
  const char *text = cachet_imap_response_get_text (response);
  CachetImapResponseType type = cachet_imap_response_get_response_type (response);
  guint64 number;

  g_string_append (out, response_type_name (type));
  if (type == CACHET_IMAP_RESPONSE_CONTINUATION)
    {
      g_assert_null (cachet_imap_response_get_name (response));
      g_string_append (out, " +");
    }
  else
    {
      const char *tag = cachet_imap_response_get_tag (response);

      g_string_append_printf (out, " %s", tag != NULL ? tag : "*");
      if (cachet_imap_response_get_number (response, &number))
        g_string_append_printf (out, " #%" G_GUINT64_FORMAT, number);
      g_string_append_printf (out, " %s", cachet_imap_response_get_name (response));
    }

  if (data != NULL)
    {
      for (guint i = 0; i < cachet_imap_value_get_n_children (data); i++)
        {
          g_string_append_c (out, ' ');
          dump_value (out, cachet_imap_value_get_child (data, i));
        }
    }

  if (cachet_imap_response_get_code (response) != CACHET_IMAP_RESPONSE_CODE_NONE)
    {
      const CachetImapValue *args = cachet_imap_response_get_code_arguments (response);
      const char *raw = cachet_imap_response_get_code_text (response);

      gboolean known = cachet_imap_response_get_code (response) != CACHET_IMAP_RESPONSE_CODE_OTHER;

      g_string_append_printf (out, " [%s%s", known ? "" : "?",
                              cachet_imap_response_get_code_name (response));
      for (guint i = 0; args != NULL && i < cachet_imap_value_get_n_children (args); i++)
        {
          g_string_append_c (out, ' ');
          dump_value (out, cachet_imap_value_get_child (args, i));
        }
      if (raw != NULL)
        {
          g_string_append (out, " ~");
          dump_bytes (out, raw, strlen (raw));
        }
      g_string_append_c (out, ']');
    }

  if (text != NULL)
    {
      g_assert_true (g_utf8_validate (text, -1, NULL));
      g_string_append_c (out, ' ');
      dump_bytes (out, text, strlen (text));
    }
  g_string_append_c (out, '\n');
}

typedef enum
{
  CHUNK_WHOLE,
  CHUNK_BYTES,
  CHUNK_RANDOM,
} Chunking;

static void
drain (CachetImapParser *parser,
       GString          *out)
{
  CachetImapResponse *next;

  while ((next = cachet_imap_parser_next_response (parser)) != NULL)
    {
      g_autoptr(CachetImapResponse) response = next;

      dump_response (out, response);
    }
}

static char *
parse_to_dump (const char                   *input,
               gsize                         length,
               const CachetImapParserLimits *limits,
               Chunking                      chunking,
               guint32                       seed)
{
  g_autoptr(CachetImapParser) parser = cachet_imap_parser_new (limits);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  gsize pos = 0;

  while (pos < length)
    {
      g_autoptr(GError) error = NULL;
      gsize chunk;

      switch (chunking)
        {
        case CHUNK_WHOLE:
          chunk = length;
          break;
        case CHUNK_BYTES:
          chunk = 1;
          break;
        case CHUNK_RANDOM:
        default:
          chunk = (gsize) g_rand_int_range (rand, 1, 40);
          break;
        }
      chunk = MIN (chunk, length - pos);

      if (!cachet_imap_parser_feed (parser, (const guint8 *) input + pos, chunk, &error))
        {
          g_autoptr(GError) again = NULL;

          g_assert_true (error->domain == CACHET_IMAP_ERROR);
          drain (parser, out);
          g_string_append_printf (out, "ERROR %s %s\n",
                                  error->code == CACHET_IMAP_ERROR_PARSE ? "PARSE"
                                  : error->code == CACHET_IMAP_ERROR_LIMIT_EXCEEDED ? "LIMIT"
                                  : "OTHER",
                                  error->message);

          /* The error is final, and the same on every later feed. */
          g_assert_false (cachet_imap_parser_feed (parser, (const guint8 *) "* OK\r\n", 6, &again));
          g_assert_error (again, CACHET_IMAP_ERROR, error->code);
          g_assert_cmpstr (again->message, ==, error->message);
          g_assert_null (cachet_imap_parser_next_response (parser));
          return g_string_free (g_steal_pointer (&out), FALSE);
        }
      pos += chunk;
      drain (parser, out);
    }

  if (cachet_imap_parser_has_pending_data (parser))
    g_string_append (out, "PENDING\n");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Parses @input every way and checks that all agree with @expected. */
static void
check_parse (const char                   *input,
             gsize                         length,
             const CachetImapParserLimits *limits,
             const char                   *expected)
{
  g_autofree char *whole = parse_to_dump (input, length, limits, CHUNK_WHOLE, 0);
  g_autofree char *bytes = parse_to_dump (input, length, limits, CHUNK_BYTES, 0);

  g_assert_cmpstr (whole, ==, expected);
  g_assert_cmpstr (bytes, ==, expected);
  for (guint32 seed = 1; seed <= 8; seed++)
    {
      g_autofree char *random = parse_to_dump (input, length, limits, CHUNK_RANDOM, seed);

      g_assert_cmpstr (random, ==, expected);
    }
}

static void
test_case (gconstpointer data)
{
  const ParserCase *c = data;

  check_parse (c->input, c->length != 0 ? c->length : strlen (c->input), NULL, c->expected);
}

static CachetImapResponse *
parse_one_length (const char *input,
                  gsize       length)
{
  g_autoptr(CachetImapParser) parser = cachet_imap_parser_new (NULL);
  g_autoptr(GError) error = NULL;
  CachetImapResponse *response;

  cachet_imap_parser_feed (parser, (const guint8 *) input, length, &error);
  g_assert_no_error (error);
  response = cachet_imap_parser_next_response (parser);
  g_assert_nonnull (response);
  g_assert_null (cachet_imap_parser_next_response (parser));
  g_assert_false (cachet_imap_parser_has_pending_data (parser));
  return response;
}

static CachetImapResponse *
parse_one (const char *input)
{
  return parse_one_length (input, strlen (input));
}

static const ParserCase good_cases[] = {
  { "/imap/parser/greeting/dovecot",
    "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE "
    "LITERAL+ STARTTLS AUTH=PLAIN] Dovecot ready.\r\n",
    0,
    "STATUS * OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE "
    "IDLE LITERAL+ STARTTLS AUTH=PLAIN] \"Dovecot ready.\"\n" },
  { "/imap/parser/greeting/exchange",
    "* OK The Microsoft Exchange IMAP4 service is ready. [TQBXAEgAUABSADIAMQBDAEEAMAAwADYAMAAuAG"
    "4AYQBtAHAAcgBkADIAMQAuAHAAcgBvAGQALgBvAHUAdABsAG8AbwBrAC4AYwBvAG0A]\r\n",
    0,
    "STATUS * OK \"The Microsoft Exchange IMAP4 service is ready. [TQBXAEgAUABSADIAMQBDAEEAMAAwA"
    "DYAMAAuAG4AYQBtAHAAcgBkADIAMQAuAHAAcgBvAGQALgBvAHUAdABsAG8AbwBrAC4AYwBvAG0A]\"\n" },
  { "/imap/parser/greeting/cyrus",
    "* OK [CAPABILITY IMAP4 IMAP4rev1 LITERAL+ ID STARTTLS AUTH=PLAIN "
    "SASL-IR] mail.example.fr Cyrus IMAP v3.4.5 server ready\r\n",
    0,
    "STATUS * OK [CAPABILITY IMAP4 IMAP4rev1 LITERAL+ ID STARTTLS AUTH=PLAIN "
    "SASL-IR] \"mail.example.fr Cyrus IMAP v3.4.5 server ready\"\n" },
  { "/imap/parser/greeting/gmail",
    "* OK Gimap ready for requests from 192.0.2.10 n55mb83651539qtb\r\n",
    0,
    "STATUS * OK \"Gimap ready for requests from 192.0.2.10 n55mb83651539qtb\"\n" },
  { "/imap/parser/greeting/preauth",
    "* PREAUTH [CAPABILITY IMAP4rev2 IDLE] Logged in as secretariat\r\n",
    0,
    "STATUS * PREAUTH [CAPABILITY IMAP4rev2 IDLE] \"Logged in as secretariat\"\n" },
  { "/imap/parser/status/bye",
    "* BYE Autologout; idle for too long\r\n",
    0,
    "STATUS * BYE \"Autologout; idle for too long\"\n" },
  { "/imap/parser/status/tagged",
    "a0001 OK [READ-WRITE] SELECT completed (0.002 + 0.000 secs).\r\n"
    "A0002 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n"
    "A0003 BAD Error in IMAP command UID FETCH: Invalid uidset\r\n"
    "x]7 OK odd but valid tag\r\n",
    0,
    "STATUS a0001 OK [READ-WRITE] \"SELECT completed (0.002 + 0.000 "
    "secs).\"\n"
    "STATUS A0002 NO [AUTHENTICATIONFAILED] \"Authentication failed.\"\n"
    "STATUS A0003 BAD \"Error in IMAP command UID FETCH: Invalid uidset\"\n"
    "STATUS x]7 OK \"odd but valid tag\"\n" },
  { "/imap/parser/status/no-text",
    "* OK\r\n"
    "A2 NO\r\n"
    "* BAD \r\n"
    "* OK [ALERT]\r\n",
    0,
    "STATUS * OK \"\"\n"
    "STATUS A2 NO \"\"\n"
    "STATUS * BAD \"\"\n"
    "STATUS * OK [ALERT] \"\"\n" },
  { "/imap/parser/status/lower-case",
    "* ok [uidnext 9] predicted\r\n"
    "a1 ok done\r\n"
    "* 3 exists\r\n",
    0,
    "STATUS * OK [UIDNEXT #9] \"predicted\"\n"
    "STATUS a1 OK \"done\"\n"
    "EXISTS * #3 EXISTS\n" },
  { "/imap/parser/status/text-is-not-tokenized",
    "A4 NO Mailbox doesn't exist: Archive{5}\r\n"
    "A5 OK done\r\n"
    "* OK [ALERT] quota (90% \"full {3}\r\n",
    0,
    "STATUS A4 NO \"Mailbox doesn't exist: Archive{5}\"\n"
    "STATUS A5 OK \"done\"\n"
    "STATUS * OK [ALERT] \"quota (90% \\x22full {3}\"\n" },
  { "/imap/parser/status/unknown-codes",
    "* OK [WEBALERT https://accounts.example.com/signin/continue?sarp=1] "
    "Web login required.\r\n"
    "* NO [REFERRAL imap://user;AUTH=*@SERVER2/] Remote mailbox\r\n"
    "* OK [X-NOARGS] hello\r\n"
    "* OK [MAILBOXID (F2212ea87-6097-4256-9d51-71338625)] Ok\r\n",
    0,
    "STATUS * OK [?WEBALERT ~\"https://accounts.example.com/signin/continue?sarp=1\"] "
    "\"Web login required.\"\n"
    "STATUS * NO [?REFERRAL ~\"imap://user;AUTH=*@SERVER2/\"] \"Remote "
    "mailbox\"\n"
    "STATUS * OK [?X-NOARGS] \"hello\"\n"
    "STATUS * OK [?MAILBOXID ~\"(F2212ea87-6097-4256-9d51-71338625)\"] "
    "\"Ok\"\n" },
  { "/imap/parser/status/unknown-code-8-bit",
    "* NO [X-WHERE caf\351] ferm\303\251\r\n",
    0,
    "STATUS * NO [?X-WHERE ~\"caf\\xef\\xbf\\xbd\"] \"ferm\\xc3\\xa9\"\n" },
  { "/imap/parser/status/uidplus",
    "A6 OK [APPENDUID 38505 3955] APPEND completed\r\n"
    "A7 OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n"
    "A8 OK [APPENDUID 38505 3955:3957] MULTIAPPEND completed\r\n",
    0,
    "STATUS A6 OK [APPENDUID #38505 #3955] \"APPEND completed\"\n"
    "STATUS A7 OK [COPYUID #38505 304,319:320 3956:3958] \"Done\"\n"
    "STATUS A8 OK [APPENDUID #38505 3955:3957] \"MULTIAPPEND completed\"\n" },
  { "/imap/parser/status/select-dovecot",
    "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded "
    "$MDNSent)\r\n"
    "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft "
    "$Forwarded $MDNSent \\*)] Flags permitted.\r\n"
    "* 172 EXISTS\r\n"
    "* 0 RECENT\r\n"
    "* OK [UNSEEN 12] First unseen.\r\n"
    "* OK [UIDVALIDITY 1436832084] UIDs valid\r\n"
    "* OK [UIDNEXT 4392] Predicted next UID\r\n"
    "* OK [HIGHESTMODSEQ 90060115205545359] Highest\r\n"
    "A142 OK [READ-WRITE] Select completed (0.001 + 0.000 secs).\r\n",
    0,
    "FLAGS * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded "
    "$MDNSent)\n"
    "STATUS * OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen "
    "\\Draft $Forwarded $MDNSent \\*)] \"Flags permitted.\"\n"
    "EXISTS * #172 EXISTS\n"
    "RECENT * #0 RECENT\n"
    "STATUS * OK [UNSEEN #12] \"First unseen.\"\n"
    "STATUS * OK [UIDVALIDITY #1436832084] \"UIDs valid\"\n"
    "STATUS * OK [UIDNEXT #4392] \"Predicted next UID\"\n"
    "STATUS * OK [HIGHESTMODSEQ #90060115205545359] \"Highest\"\n"
    "STATUS A142 OK [READ-WRITE] \"Select completed (0.001 + 0.000 secs).\"\n" },
  { "/imap/parser/status/select-gmail",
    "* FLAGS (\\Answered \\Flagged \\Draft \\Deleted \\Seen $NotPhishing "
    "$Phishing)\r\n"
    "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Draft \\Deleted \\Seen "
    "$NotPhishing $Phishing \\*)] Flags permitted.\r\n"
    "* OK [UIDVALIDITY 1] UIDs valid.\r\n"
    "* 60 EXISTS\r\n"
    "* 0 RECENT\r\n"
    "* OK [UIDNEXT 410] Predicted next UID.\r\n"
    "* OK [HIGHESTMODSEQ 41234]\r\n"
    "A00000005 OK [READ-ONLY] INBOX selected. (Success)\r\n",
    0,
    "FLAGS * FLAGS (\\Answered \\Flagged \\Draft \\Deleted \\Seen $NotPhishing "
    "$Phishing)\n"
    "STATUS * OK [PERMANENTFLAGS (\\Answered \\Flagged \\Draft \\Deleted "
    "\\Seen $NotPhishing $Phishing \\*)] \"Flags permitted.\"\n"
    "STATUS * OK [UIDVALIDITY #1] \"UIDs valid.\"\n"
    "EXISTS * #60 EXISTS\n"
    "RECENT * #0 RECENT\n"
    "STATUS * OK [UIDNEXT #410] \"Predicted next UID.\"\n"
    "STATUS * OK [HIGHESTMODSEQ #41234] \"\"\n"
    "STATUS A00000005 OK [READ-ONLY] \"INBOX selected. (Success)\"\n" },
  { "/imap/parser/status/qresync",
    "* OK [CLOSED] Previous mailbox closed.\r\n"
    "* OK [NOMODSEQ] Sorry, this mailbox format doesn't support modsequences\r\n"
    "d105 OK [MODIFIED 7,9] Conditional STORE failed\r\n"
    "d106 OK [MODIFIED 12] Conditional STORE failed\r\n",
    0,
    "STATUS * OK [CLOSED] \"Previous mailbox closed.\"\n"
    "STATUS * OK [NOMODSEQ] \"Sorry, this mailbox format doesn't support "
    "modsequences\"\n"
    "STATUS d105 OK [MODIFIED 7,9] \"Conditional STORE failed\"\n"
    "STATUS d106 OK [MODIFIED #12] \"Conditional STORE failed\"\n" },
  { "/imap/parser/status/empty-capability-code",
    "* OK [CAPABILITY] \r\n",
    0,
    "STATUS * OK [CAPABILITY] \"\"\n" },
  { "/imap/parser/status/badcharset",
    "A8 NO [BADCHARSET (UTF-8 \"ISO-8859-1\")] charset not supported\r\n"
    "A9 NO [BADCHARSET] bad\r\n",
    0,
    "STATUS A8 NO [BADCHARSET (UTF-8 \"ISO-8859-1\")] \"charset not "
    "supported\"\n"
    "STATUS A9 NO [BADCHARSET] \"bad\"\n" },
  { "/imap/parser/status/8-bit-text",
    "* NO Dossier introuvable : R\303\251sultats\r\n"
    "* NO caf\351 ferm\351\r\n",
    0,
    "STATUS * NO \"Dossier introuvable : R\\xc3\\xa9sultats\"\n"
    "STATUS * NO \"caf\\xef\\xbf\\xbd ferm\\xef\\xbf\\xbd\"\n" },
  { "/imap/parser/continuation/plain",
    "+ Ready for literal data\r\n"
    "+\r\n"
    "+ \r\n"
    "+ YGgGCSqGSIb3EgECAgIBAAD/////6jcyG4GE3KkTzBeBiVHeceP2CWY0SR0fAQAgAAQEBAQ=\r\n"
    "+ [ALERT] not a code here\r\n",
    0,
    "CONTINUATION + \"Ready for literal data\"\n"
    "CONTINUATION + \"\"\n"
    "CONTINUATION + \"\"\n"
    "CONTINUATION + \"YGgGCSqGSIb3EgECAgIBAAD/////6jcyG4GE3KkTzBeBiVHeceP2CWY0SR0fAQAgAAQEBAQ=\""
    "\n"
    "CONTINUATION + \"[ALERT] not a code here\"\n" },
  { "/imap/parser/capability/gmail",
    "* CAPABILITY IMAP4rev1 UNSELECT IDLE NAMESPACE QUOTA ID XLIST CHILDREN "
    "X-GM-EXT-1 XYZZY SASL-IR AUTH=XOAUTH2 AUTH=PLAIN AUTH=PLAIN-CLIENTTOKEN "
    "AUTH=OAUTHBEARER AUTH=XOAUTH\r\n",
    0,
    "CAPABILITY * CAPABILITY IMAP4rev1 UNSELECT IDLE NAMESPACE QUOTA "
    "ID XLIST CHILDREN X-GM-EXT-1 XYZZY SASL-IR AUTH=XOAUTH2 AUTH=PLAIN "
    "AUTH=PLAIN-CLIENTTOKEN AUTH=OAUTHBEARER AUTH=XOAUTH\n" },
  { "/imap/parser/capability/empty",
    "* CAPABILITY\r\n"
    "* CAPABILITY IMAP4rev1  IDLE \r\n",
    0,
    "CAPABILITY * CAPABILITY\n"
    "CAPABILITY * CAPABILITY IMAP4rev1 IDLE\n" },
  { "/imap/parser/enabled",
    "* ENABLED QRESYNC CONDSTORE\r\n"
    "* ENABLED\r\n",
    0,
    "ENABLED * ENABLED QRESYNC CONDSTORE\n"
    "ENABLED * ENABLED\n" },
  { "/imap/parser/list/dovecot",
    "* LIST (\\HasNoChildren) \".\" INBOX\r\n"
    "* LIST (\\HasChildren \\Noselect) \"/\" \"Dossiers patients\"\r\n"
    "* LIST (\\HasNoChildren \\Sent) \"/\" \"Envoy&AOk-s\"\r\n"
    "* LIST (\\HasNoChildren \\Trash) \"/\" \"&AMk-l&AOk-ments supprim&AOk-s\"\r\n"
    "A12 OK List completed (0.001 + 0.000 secs).\r\n",
    0,
    "LIST * LIST (\\HasNoChildren) \".\" INBOX\n"
    "LIST * LIST (\\HasChildren \\Noselect) \"/\" \"Dossiers patients\"\n"
    "LIST * LIST (\\HasNoChildren \\Sent) \"/\" \"Envoy&AOk-s\"\n"
    "LIST * LIST (\\HasNoChildren \\Trash) \"/\" \"&AMk-l&AOk-ments "
    "supprim&AOk-s\"\n"
    "STATUS A12 OK \"List completed (0.001 + 0.000 secs).\"\n" },
  { "/imap/parser/list/gmail",
    "* LIST (\\HasNoChildren \\All) \"/\" \"[Gmail]/All Mail\"\r\n"
    "* LIST (\\HasChildren \\Noselect) \"/\" [Gmail]\r\n"
    "* LIST (\\HasNoChildren \\Junk) \"/\" [Gmail]/Spam\r\n"
    "* LIST (\\HasNoChildren \\Subscribed) \"/\" +Folder\r\n"
    "* LIST (\\HasNoChildren) \"/\" 2024\r\n",
    0,
    "LIST * LIST (\\HasNoChildren \\All) \"/\" \"[Gmail]/All Mail\"\n"
    "LIST * LIST (\\HasChildren \\Noselect) \"/\" [Gmail]\n"
    "LIST * LIST (\\HasNoChildren \\Junk) \"/\" [Gmail]/Spam\n"
    "LIST * LIST (\\HasNoChildren \\Subscribed) \"/\" +Folder\n"
    "LIST * LIST (\\HasNoChildren) \"/\" #2024\n" },
  { "/imap/parser/list/literal-name",
    "* LIST () \"/\" {13}\r\n"
    "R&AOk-sultats\r\n",
    0,
    "LIST * LIST () \"/\" {13}\"R&AOk-sultats\"\n" },
  { "/imap/parser/list/delimiters",
    "* LIST (\\Noinferiors) NIL INBOX\r\n"
    "* LIST () \"\\\\\" Drafts\r\n"
    "* LIST () nil NIL\r\n"
    "* LIST (\\HasNoChildren) \"\" \"Folder2\"\r\n",
    0,
    "LIST * LIST (\\Noinferiors) NIL INBOX\n"
    "LIST * LIST () \"\\x5c\" Drafts\n"
    "LIST * LIST () NIL NIL\n"
    "LIST * LIST (\\HasNoChildren) \"\" \"Folder2\"\n" },
  { "/imap/parser/list/extended",
    "* LIST (\\Subscribed \\NonExistent) \"/\" \"Labo\" (\"CHILDINFO\" "
    "(\"SUBSCRIBED\"))\r\n",
    0,
    "LIST * LIST (\\Subscribed \\NonExistent) \"/\" \"Labo\" (\"CHILDINFO\" "
    "(\"SUBSCRIBED\"))\n" },
  { "/imap/parser/lsub",
    "* LSUB () \".\" #news.comp.mail.misc\r\n",
    0,
    "LSUB * LSUB () \".\" #news.comp.mail.misc\n" },
  { "/imap/parser/mailbox-status/gmail",
    "* STATUS \"INBOX\" (HIGHESTMODSEQ 41234 MESSAGES 60 RECENT 0 UIDNEXT "
    "410 UIDVALIDITY 1 UNSEEN 0 SIZE 1024 MAILBOXID (d0f3b017-d3ec))\r\n",
    0,
    "MAILBOX_STATUS * STATUS \"INBOX\" (HIGHESTMODSEQ #41234 MESSAGES "
    "#60 RECENT #0 UIDNEXT #410 UIDVALIDITY #1 UNSEEN #0 SIZE #1024 "
    "MAILBOXID (d0f3b017-d3ec))\n" },
  { "/imap/parser/mailbox-status/literal-name",
    "* STATUS {5}\r\n"
    "INBOX (MESSAGES 1)\r\n",
    0,
    "MAILBOX_STATUS * STATUS {5}\"INBOX\" (MESSAGES #1)\n" },
  { "/imap/parser/message-numbers",
    "* 23 EXISTS\r\n"
    "* 0 EXISTS\r\n"
    "* 1 RECENT\r\n"
    "* 5 EXPUNGE\r\n"
    "* 4294967295 EXISTS\r\n"
    "* 7 EXPUNGE \r\n",
    0,
    "EXISTS * #23 EXISTS\n"
    "EXISTS * #0 EXISTS\n"
    "RECENT * #1 RECENT\n"
    "EXPUNGE * #5 EXPUNGE\n"
    "EXISTS * #4294967295 EXISTS\n"
    "EXPUNGE * #7 EXPUNGE\n" },
  { "/imap/parser/search",
    "* SEARCH 2 84 882\r\n"
    "* SEARCH\r\n"
    "* SEARCH \r\n"
    "* SEARCH 2 5 (MODSEQ 917162500)\r\n",
    0,
    "SEARCH * SEARCH #2 #84 #882\n"
    "SEARCH * SEARCH\n"
    "SEARCH * SEARCH\n"
    "SEARCH * SEARCH #2 #5 (MODSEQ #917162500)\n" },
  { "/imap/parser/esearch",
    "* ESEARCH (TAG \"A285\") UID MIN 7 MAX 3800 COUNT 15 ALL 4:18,21,28\r\n"
    "* ESEARCH (TAG \"A286\") COUNT 0\r\n",
    0,
    "ESEARCH * ESEARCH (TAG \"A285\") UID MIN #7 MAX #3800 COUNT #15 "
    "ALL 4:18,21,28\n"
    "ESEARCH * ESEARCH (TAG \"A286\") COUNT #0\n" },
  { "/imap/parser/vanished",
    "* VANISHED (EARLIER) 41,43:116,118,120:211,214:540\r\n"
    "* VANISHED 405,407,410\r\n"
    "* VANISHED 8\r\n",
    0,
    "VANISHED * VANISHED (EARLIER) 41,43:116,118,120:211,214:540\n"
    "VANISHED * VANISHED 405,407,410\n"
    "VANISHED * VANISHED #8\n" },
  { "/imap/parser/fetch/flags",
    "* 1 FETCH (UID 1 FLAGS (\\Answered \\Seen $Forwarded $Quuxo::Spam::Trained) "
    "MODSEQ (4))\r\n"
    "* 2 FETCH (FLAGS ())\r\n",
    0,
    "FETCH * #1 FETCH (UID #1 FLAGS (\\Answered \\Seen $Forwarded $Quuxo::Spam::Trained) "
    "MODSEQ (#4))\n"
    "FETCH * #2 FETCH (FLAGS ())\n" },
  { "/imap/parser/fetch/zoho-modseq",
    "* 40 FETCH (MODSEQ (-1) FLAGS (\\Recent \\Seen) UID 336)\r\n",
    0,
    "FETCH * #40 FETCH (MODSEQ (-1) FLAGS (\\Recent \\Seen) UID #336)\n" },
  { "/imap/parser/malformed/domino-extra-parentheses",
    "* 2 FETCH (UID 14935 (ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL "
    "NIL NIL)) BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" "
    "0 0 NIL))\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 0: FETCH item without "
    "a value\n" },
  { "/imap/parser/malformed/fetch-item-without-value",
    "* 1 FETCH (UID 3016 BODY[2.MIME] {28}\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    " BODY[2] )\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 0: FETCH item without "
    "a value\n" },
  { "/imap/parser/malformed/exchange-bare-code",
    "[COPYUID 55 31 6]\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 11: tagged response "
    "must be OK, NO or BAD\n" },
  { "/imap/parser/fetch/envelope",
    "* 12 FETCH (UID 4827 ENVELOPE (\"Tue, 14 Jan 2025 09:12:44 +0100\" "
    "\"=?UTF-8?Q?R=C3=A9sultats_d'analyses?=\" ((\"Laboratoire Biofrance\" "
    "NIL \"resultats\" \"labo.example.fr\")) ((\"Laboratoire Biofrance\" "
    "NIL \"resultats\" \"labo.example.fr\")) ((\"Laboratoire Biofrance\" "
    "NIL \"resultats\" \"labo.example.fr\")) ((NIL NIL \"dr.martin\" "
    "\"cabinet.mssante.fr\")(\"Secr\\\"etariat\" NIL \"secretariat\" "
    "\"cabinet.mssante.fr\")) NIL NIL NIL \"<20250114091244.12345@labo.example.fr>\"))\r\n",
    0,
    "FETCH * #12 FETCH (UID #4827 ENVELOPE (\"Tue, 14 Jan 2025 09:12:44 "
    "+0100\" \"=?UTF-8?Q?R=C3=A9sultats_d'analyses?=\" ((\"Laboratoire "
    "Biofrance\" NIL \"resultats\" \"labo.example.fr\")) ((\"Laboratoire "
    "Biofrance\" NIL \"resultats\" \"labo.example.fr\")) ((\"Laboratoire "
    "Biofrance\" NIL \"resultats\" \"labo.example.fr\")) ((NIL NIL \"dr.martin\" "
    "\"cabinet.mssante.fr\") (\"Secr\\x22etariat\" NIL \"secretariat\" "
    "\"cabinet.mssante.fr\")) NIL NIL NIL \"<20250114091244.12345@labo.example.fr>\"))\n" },
  { "/imap/parser/fetch/envelope-literal",
    "* 3 FETCH (ENVELOPE (NIL {18}\r\n"
    "Compte rendu \303\251cho NIL NIL NIL NIL NIL NIL NIL NIL))\r\n",
    0,
    "FETCH * #3 FETCH (ENVELOPE (NIL {18}\"Compte rendu \\xc3\\xa9cho\" "
    "NIL NIL NIL NIL NIL NIL NIL NIL))\n" },
  { "/imap/parser/fetch/bodystructure",
    "* 7 FETCH (UID 311 BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" "
    "\"utf-8\") NIL NIL \"quoted-printable\" 1234 42 NIL NIL NIL NIL)(\"application\" "
    "\"pdf\" (\"name\" \"resultats.pdf\") NIL NIL \"base64\" 56789 NIL "
    "(\"attachment\" (\"filename\" \"resultats.pdf\")) NIL NIL) \"mixed\" "
    "(\"boundary\" \"=_abc\") NIL \"fr\" NIL))\r\n",
    0,
    "FETCH * #7 FETCH (UID #311 BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" "
    "\"utf-8\") NIL NIL \"quoted-printable\" #1234 #42 NIL NIL NIL NIL) "
    "(\"application\" \"pdf\" (\"name\" \"resultats.pdf\") NIL NIL \"base64\" "
    "#56789 NIL (\"attachment\" (\"filename\" \"resultats.pdf\")) NIL "
    "NIL) \"mixed\" (\"boundary\" \"=_abc\") NIL \"fr\" NIL))\n" },
  { "/imap/parser/fetch/bodystructure-exchange",
    "* 5 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") "
    "nil nil \"7BIT\" 3 1 nil nil nil nil) UID 9)\r\n",
    0,
    "FETCH * #5 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" (\"CHARSET\" "
    "\"us-ascii\") NIL NIL \"7BIT\" #3 #1 NIL NIL NIL NIL) UID #9)\n" },
  { "/imap/parser/fetch/body-sections",
    "* 12 FETCH (UID 99 BODY[HEADER.FIELDS (From Subject)] {42}\r\n"
    "From: labo@example.fr\r\n"
    "Subject: CR bio\r\n"
    "\r\n"
    ")\r\n"
    "* 13 FETCH (BODY[]<0> {10}\r\n"
    "0123456789 UID 100)\r\n"
    "* 14 FETCH (BODY[1.2.MIME] NIL BODY[TEXT] \"\" BODY[1] {0}\r\n"
    ")\r\n"
    "* 15 FETCH (BODY[header.fields (\"Date\" x-mss-type)] NIL body[] "
    "NIL)\r\n",
    0,
    "FETCH * #12 FETCH (UID #99 BODY[HEADER.FIELDS (FROM SUBJECT)] {42}\"From: "
    "labo@example.fr\\x0d\\x0aSubject: CR bio\\x0d\\x0a\\x0d\\x0a\")\n"
    "FETCH * #13 FETCH (BODY[]<0> {10}\"0123456789\" UID #100)\n"
    "FETCH * #14 FETCH (BODY[1.2.MIME] NIL BODY[TEXT] \"\" BODY[1] {0}\"\")\n"
    "FETCH * #15 FETCH (BODY[HEADER.FIELDS (DATE X-MSS-TYPE)] NIL BODY[] "
    "NIL)\n" },
  { "/imap/parser/fetch/binary",
    "* 3 FETCH (UID 5 BINARY[2] ~{5}\r\n"
    "ab\000cd BINARY.SIZE[2] 5)\r\n",
    58,
    "FETCH * #3 FETCH (UID #5 BINARY[2] {5}\"ab\\x00cd\" BINARY.SIZE[2] "
    "#5)\n" },
  { "/imap/parser/fetch/quoted-body",
    "* 1 FETCH (UID 1 RFC822.SIZE 5 BODY[TEXT] \"hello\")\r\n",
    0,
    "FETCH * #1 FETCH (UID #1 RFC822.SIZE #5 BODY[TEXT] \"hello\")\n" },
  { "/imap/parser/fetch/gmail-extensions",
    "* 1 FETCH (X-GM-THRID 1278455344230334865 X-GM-MSGID 1278455344230334866 "
    "X-GM-LABELS (\\Inbox \\Sent Important \"Muy Importante\") UID 4 "
    "FLAGS (\\Seen))\r\n",
    0,
    "FETCH * #1 FETCH (X-GM-THRID #1278455344230334865 X-GM-MSGID #1278455344230334866 "
    "X-GM-LABELS (\\Inbox \\Sent Important \"Muy Importante\") UID #4 "
    "FLAGS (\\Seen))\n" },
  { "/imap/parser/fetch/internaldate",
    "* 2 FETCH (INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" RFC822.SIZE "
    "4286)\r\n",
    0,
    "FETCH * #2 FETCH (INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" RFC822.SIZE "
    "#4286)\n" },
  { "/imap/parser/fetch/rfc822",
    "* 2 FETCH (RFC822.HEADER {8}\r\n"
    "A: b\r\n"
    "\r\n"
    " RFC822.TEXT NIL)\r\n",
    0,
    "FETCH * #2 FETCH (RFC822.HEADER {8}\"A: b\\x0d\\x0a\\x0d\\x0a\" "
    "RFC822.TEXT NIL)\n" },
  { "/imap/parser/fetch/literal-inside-list",
    "* 1 FETCH (UID 1 X-EXT-LIST (P1 V1 P2 {6}\r\n"
    "VALUE2 P3 (SUB-P SUB-V)))\r\n",
    0,
    "FETCH * #1 FETCH (UID #1 X-EXT-LIST (P1 V1 P2 {6}\"VALUE2\" P3 "
    "(SUB-P SUB-V)))\n" },
  { "/imap/parser/fetch/literal-body-crlf",
    "* 9 FETCH (UID 77 BODY[] {38}\r\n"
    "Subject: x\r\n"
    "\r\n"
    "* 1 EXISTS\r\n"
    "A1 OK fake\r\n"
    ")\r\n"
    "A1 OK real\r\n",
    0,
    "FETCH * #9 FETCH (UID #77 BODY[] {38}\"Subject: x\\x0d\\x0a\\x0d\\x0a* "
    "1 EXISTS\\x0d\\x0aA1 OK fake\\x0d\\x0a\")\n"
    "STATUS A1 OK \"real\"\n" },
  { "/imap/parser/other/namespace",
    "* NAMESPACE ((\"\" \"/\")) NIL ((\"Partag&AOk-s/\" \"/\"))\r\n",
    0,
    "OTHER * NAMESPACE ((\"\" \"/\")) NIL ((\"Partag&AOk-s/\" \"/\"))\n" },
  { "/imap/parser/other/id",
    "* ID (\"name\" \"Dovecot\" \"version\" NIL)\r\n"
    "* ID NIL\r\n",
    0,
    "OTHER * ID (\"name\" \"Dovecot\" \"version\" NIL)\n"
    "OTHER * ID NIL\n" },
  { "/imap/parser/other/quota",
    "* QUOTA \"\" (STORAGE 10 512)\r\n"
    "* QUOTAROOT INBOX \"\"\r\n",
    0,
    "OTHER * QUOTA \"\" (STORAGE #10 #512)\n"
    "OTHER * QUOTAROOT INBOX \"\"\n" },
  { "/imap/parser/other/numbered",
    "* 5 XFOO bar\r\n",
    0,
    "OTHER * #5 XFOO bar\n" },
  { "/imap/parser/pipelined",
    "* 2 FETCH (UID 8 BODY[] {2}\r\n"
    "Hi)\r\n"
    "* 3 EXISTS\r\n"
    "+ go\r\n"
    "A1 OK done\r\n"
    "* 4 EXPUNGE\r\n",
    0,
    "FETCH * #2 FETCH (UID #8 BODY[] {2}\"Hi\")\n"
    "EXISTS * #3 EXISTS\n"
    "CONTINUATION + \"go\"\n"
    "STATUS A1 OK \"done\"\n"
    "EXPUNGE * #4 EXPUNGE\n" },
  { "/imap/parser/partial",
    "* 2 FETCH (UID 8 BODY[] {20}\r\n"
    "only ten b",
    0,
    "PENDING\n" },
};

static const ParserCase malformed_cases[] = {
  { "/imap/parser/malformed/tag-char",
    "a*1 OK x\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 1: invalid character "
    "in tag\n" },
  { "/imap/parser/malformed/tag-empty",
    "(1 OK\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 0: invalid tag\n" },
  { "/imap/parser/malformed/tag-8-bit",
    "\303\2511 OK\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 0: invalid tag\n" },
  { "/imap/parser/malformed/tag-plus",
    "a+1 OK\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 1: invalid character "
    "in tag\n" },
  { "/imap/parser/malformed/quoted-unterminated",
    "* LIST () \"/ INBOX\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 10: unterminated quoted "
    "string\n" },
  { "/imap/parser/malformed/quoted-escape",
    "* LIST () \"a\\b\" x\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 13: invalid escape "
    "in quoted string\n" },
  { "/imap/parser/malformed/quoted-trailing-backslash",
    "* LIST () \"/\" \"abc\\\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 14: unterminated quoted "
    "string\n" },
  { "/imap/parser/malformed/literal-overflow",
    "* 1 FETCH (BODY[] {18446744073709551616}\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 18: literal size out "
    "of range\n" },
  { "/imap/parser/malformed/literal-max-digits",
    "* 1 FETCH (BODY[] {99999999999999999999}\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 18: literal size out "
    "of range\n" },
  { "/imap/parser/malformed/literal-zeros",
    "* 1 FETCH (BODY[] {0000000000000000000005}\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 18: literal size out "
    "of range\n" },
  { "/imap/parser/malformed/literal-negative",
    "* 1 FETCH (BODY[] {-1}\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 18: invalid literal "
    "size\n" },
  { "/imap/parser/malformed/literal-plus-sign",
    "* 1 FETCH (BODY[] {+5}\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 18: invalid literal "
    "size\n" },
  { "/imap/parser/malformed/literal-space",
    "* 1 FETCH (BODY[] {5 }\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 18: invalid literal "
    "size\n" },
  { "/imap/parser/malformed/literal-letters",
    "* 1 FETCH (BODY[] {abc}\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 18: invalid literal "
    "size\n" },
  { "/imap/parser/malformed/literal-non-sync",
    "* 1 FETCH (BODY[] {5+}\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 18: invalid literal "
    "size\n" },
  { "/imap/parser/malformed/literal-empty",
    "* 1 FETCH (BODY[] {}\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 18: invalid literal "
    "size\n" },
  { "/imap/parser/malformed/literal8-letters",
    "* 1 FETCH (BINARY[1] ~{abc})\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 21: invalid literal "
    "size\n" },
  { "/imap/parser/malformed/literal-no-crlf",
    "* 1 FETCH (BODY[] {5} x)\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 21: literal size not "
    "followed by CRLF\n" },
  { "/imap/parser/malformed/literal-too-large",
    "* 1 FETCH (BODY[] {4294967296}\r\n",
    0,
    "ERROR LIMIT IMAP literal of 4294967296 bytes at byte 18 is larger "
    "than the limit of 268435456 bytes\n" },
  { "/imap/parser/malformed/bare-lf",
    "* OK hi\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 7: line ends with a "
    "bare LF\n" },
  { "/imap/parser/malformed/bare-lf-after-literal",
    "* 1 FETCH (BODY[] {2}\r\n"
    "ab)\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 26: line ends with "
    "a bare LF\n" },
  { "/imap/parser/malformed/bare-cr",
    "* OK a\rb\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 6: CR not followed "
    "by LF\n" },
  { "/imap/parser/malformed/nul-in-text",
    "* OK \"quoted\000string\"\r\n",
    22,
    "ERROR PARSE Malformed IMAP response at byte 12: NUL byte outside "
    "a literal\n" },
  { "/imap/parser/malformed/nul-in-quoted",
    "* LIST () \"/\" \"a\000b\"\r\n",
    21,
    "ERROR PARSE Malformed IMAP response at byte 16: NUL byte outside "
    "a literal\n" },
  { "/imap/parser/malformed/empty-line",
    "\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 0: empty line\n" },
  { "/imap/parser/malformed/list-unterminated",
    "* 1 FETCH (FLAGS (\\Seen)\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 24: unterminated list\n" },
  { "/imap/parser/malformed/list-extra-close",
    "* FLAGS (\\Seen))\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 15: unexpected \")\"\n" },
  { "/imap/parser/malformed/stray-bracket",
    "* 1 FETCH (FLAGS (\\Seen)]\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 24: unexpected \"]\"\n" },
  { "/imap/parser/malformed/missing-space",
    "* 1 FETCH (UID \"1\"FLAGS (\\Seen))\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 18: missing space between "
    "values\n" },
  { "/imap/parser/malformed/atom-then-list",
    "* 1 FETCH (FLAGS(\\Seen))\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 16: missing space between "
    "values\n" },
  { "/imap/parser/malformed/control-char",
    "* CAPABILITY IMAP4rev1 \001X\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 23: unexpected character\n" },
  { "/imap/parser/malformed/tagged-bye",
    "A1 BYE x\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 6: tagged response "
    "must be OK, NO or BAD\n" },
  { "/imap/parser/malformed/tagged-data",
    "A1 FETCH x\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 8: tagged response "
    "must be OK, NO or BAD\n" },
  { "/imap/parser/malformed/name-8-bit",
    "* OK\303\251 x\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 4: invalid character "
    "in response name\n" },
  { "/imap/parser/malformed/code-8-bit",
    "* OK [AL\303\251RT] x\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 8: invalid character "
    "in response code\n" },
  { "/imap/parser/malformed/name-char",
    "* OK[ALERT] x\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 4: invalid character "
    "in response name\n" },
  { "/imap/parser/malformed/no-name",
    "* \r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 2: response name expected\n" },
  { "/imap/parser/malformed/star-no-space",
    "*OK\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 1: space expected after "
    "\"*\"\n" },
  { "/imap/parser/malformed/plus-no-space",
    "+x\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 1: space expected after "
    "\"+\"\n" },
  { "/imap/parser/malformed/status-no-space",
    "* OK\011fine\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 4: invalid character "
    "in response name\n" },
  { "/imap/parser/malformed/message-number-zero",
    "* 0 FETCH (UID 1)\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 0: message number 0\n" },
  { "/imap/parser/malformed/expunge-zero",
    "* 0 EXPUNGE\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 0: message number 0\n" },
  { "/imap/parser/malformed/message-number-range",
    "* 4294967296 EXISTS\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 2: message number out "
    "of range\n" },
  { "/imap/parser/malformed/size-range",
    "* 1 FETCH (RFC822.SIZE 99999999999999999999)\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 0: RFC822.SIZE must "
    "be a number\n" },
  { "/imap/parser/malformed/uid-zero",
    "* 1 FETCH (UID 0)\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 0: UID must be a non-zero "
    "32-bit number\n" },
  { "/imap/parser/malformed/uid-range",
    "* 1 FETCH (UID 4294967296)\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 0: UID must be a non-zero "
    "32-bit number\n" },
  { "/imap/parser/malformed/fetch-odd",
    "* 1 FETCH (UID)\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 0: FETCH item without "
    "a value\n" },
  { "/imap/parser/malformed/fetch-not-list",
    "* 1 FETCH UID 1\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 0: FETCH data must "
    "be one list\n" },
  { "/imap/parser/malformed/fetch-name",
    "* 1 FETCH (\"UID\" 1)\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 0: FETCH item name "
    "expected\n" },
  { "/imap/parser/malformed/fetch-flags",
    "* 1 FETCH (FLAGS \\Seen)\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 0: FLAGS must be a "
    "list of flags\n" },
  { "/imap/parser/malformed/fetch-modseq",
    "* 1 FETCH (MODSEQ 5)\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 0: MODSEQ must be a "
    "list of one number\n" },
  { "/imap/parser/malformed/fetch-section-value",
    "* 1 FETCH (BODY[] (x))\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 0: section data must "
    "be a string or NIL\n" },
  { "/imap/parser/malformed/code-number",
    "* OK [UIDNEXT abc] x\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 6: response code needs "
    "one 32-bit number\n" },
  { "/imap/parser/malformed/code-range",
    "* OK [UIDVALIDITY 4294967296] x\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 6: response code needs "
    "one 32-bit number\n" },
  { "/imap/parser/malformed/code-missing-number",
    "* OK [UIDNEXT] x\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 6: response code needs "
    "one 32-bit number\n" },
  { "/imap/parser/malformed/code-unterminated",
    "* OK [UNSEEN 5\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 14: unterminated response "
    "code\n" },
  { "/imap/parser/malformed/code-raw-unterminated",
    "* OK [ALERT hello\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 11: unterminated response "
    "code\n" },
  { "/imap/parser/malformed/code-name-unterminated",
    "* OK [READ-WRITE\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 16: unterminated response "
    "code\n" },
  { "/imap/parser/malformed/code-empty",
    "* OK []\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 6: response code expected\n" },
  { "/imap/parser/malformed/code-no-space",
    "* OK [ALERT]text\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 12: space expected "
    "after response code\n" },
  { "/imap/parser/malformed/code-literal",
    "* OK [CAPABILITY {5}\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 17: literal not allowed "
    "here\n" },
  { "/imap/parser/malformed/code-capability-list",
    "* OK [CAPABILITY IMAP4rev1 (x)] hi\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 6: capabilities must "
    "be atoms\n" },
  { "/imap/parser/malformed/code-copyuid",
    "A1 OK [COPYUID 1 1:2] x\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 7: COPYUID needs a "
    "UIDVALIDITY and two sets of UIDs\n" },
  { "/imap/parser/malformed/code-appenduid-star",
    "A1 OK [APPENDUID 1 5:*] x\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 7: APPENDUID needs "
    "a UIDVALIDITY and a set of UIDs\n" },
  { "/imap/parser/malformed/section-nested",
    "* 1 FETCH (BODY[BODY[x]] NIL)\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 20: section inside "
    "a section\n" },
  { "/imap/parser/malformed/section-literal",
    "* 1 FETCH (BODY[HEADER.FIELDS ({4}\r\n"
    "FROM)] NIL)\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 31: literal not allowed "
    "here\n" },
  { "/imap/parser/malformed/section-unterminated",
    "* 1 FETCH (BODY[1.2\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 19: unterminated section\n" },
  { "/imap/parser/malformed/section-origin",
    "* 1 FETCH (BODY[]<x> NIL)\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 17: invalid section "
    "origin\n" },
  { "/imap/parser/malformed/section-origin-range",
    "* 1 FETCH (BODY[]<4294967296> NIL)\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 17: section origin "
    "out of range\n" },
  { "/imap/parser/malformed/list-delimiter",
    "* LIST (\\Noselect) \"ab\" INBOX\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 0: LIST delimiter must "
    "be one quoted character or NIL\n" },
  { "/imap/parser/malformed/list-short",
    "* LIST (\\HasNoChildren) \"/\"\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 0: LIST needs attributes, "
    "a delimiter and a name\n" },
  { "/imap/parser/malformed/list-nul-name",
    "* LIST () \"/\" {3}\r\n"
    "a\000b\r\n",
    24,
    "ERROR PARSE Malformed IMAP response at byte 0: invalid mailbox "
    "name\n" },
  { "/imap/parser/malformed/status-odd",
    "* STATUS INBOX (MESSAGES)\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 0: STATUS item without "
    "a value\n" },
  { "/imap/parser/malformed/vanished-star",
    "* VANISHED (EARLIER) 1:*\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 0: invalid set of UIDs\n" },
  { "/imap/parser/malformed/vanished-zero",
    "* VANISHED 0\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 0: invalid set of UIDs\n" },
  { "/imap/parser/malformed/vanished-tag",
    "* VANISHED (LATER) 1\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 0: VANISHED takes only "
    "(EARLIER) before the UIDs\n" },
  { "/imap/parser/malformed/search-zero",
    "* SEARCH 0\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 0: SEARCH results must "
    "be non-zero 32-bit numbers\n" },
  { "/imap/parser/malformed/exists-garbage",
    "* 3 EXISTS garbage\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 0: unexpected data "
    "after the response name\n" },
  { "/imap/parser/malformed/flags-not-list",
    "* FLAGS \\Seen\r\n",
    0,
    "ERROR PARSE Malformed IMAP response at byte 0: FLAGS must be one "
    "list of flags\n" },
  { "/imap/parser/malformed/stray-after-response",
    "* OK fine\r\n"
    ")\r\n",
    0,
    "STATUS * OK \"fine\"\n"
    "ERROR PARSE Malformed IMAP response at byte 11: invalid tag\n" },
};

/* Limits ---------------------------------------------------------------- */

static CachetImapResponseType
type_of (CachetImapResponse *response)
{
  return cachet_imap_response_get_response_type (response);
}

static const CachetImapValue *
child (const CachetImapValue *value,
       guint                  index)
{
  return cachet_imap_value_get_child (value, index);
}

static const char *
string_of (const CachetImapValue *value)
{
  return cachet_imap_value_get_string (value, NULL);
}

static CachetImapParserLimits
small_limits (gsize   max_line_length,
              guint64 max_literal_size,
              guint   max_depth,
              guint   max_elements)
{
  CachetImapParserLimits limits;

  cachet_imap_parser_limits_init (&limits);
  if (max_line_length != 0)
    limits.max_line_length = max_line_length;
  if (max_literal_size != 0)
    limits.max_literal_size = max_literal_size;
  if (max_depth != 0)
    limits.max_depth = max_depth;
  if (max_elements != 0)
    limits.max_elements = max_elements;
  return limits;
}

static void
check_parse_string (const char                   *input,
                    const CachetImapParserLimits *limits,
                    const char                   *expected)
{
  check_parse (input, strlen (input), limits, expected);
}

static void
test_limits_defaults (void)
{
  CachetImapParserLimits limits;
  CachetImapParserLimits other = small_limits (100, 200, 3, 400);
  g_autoptr(CachetImapParser) parser = cachet_imap_parser_new (NULL);

  cachet_imap_parser_limits_init (&limits);
  g_assert_cmpuint (limits.max_line_length, ==, 1024 * 1024);
  g_assert_cmpuint (limits.max_literal_size, ==, 256 * 1024 * 1024);
  g_assert_cmpuint (limits.max_depth, ==, 64);
  g_assert_cmpuint (limits.max_elements, ==, 1000000);

  cachet_imap_parser_get_limits (parser, &limits);
  g_assert_cmpuint (limits.max_line_length, ==, CACHET_IMAP_PARSER_DEFAULT_MAX_LINE_LENGTH);

  cachet_imap_parser_set_limits (parser, &other);
  cachet_imap_parser_get_limits (parser, &limits);
  g_assert_cmpuint (limits.max_line_length, ==, 100);
  g_assert_cmpuint (limits.max_literal_size, ==, 200);
  g_assert_cmpuint (limits.max_depth, ==, 3);
  g_assert_cmpuint (limits.max_elements, ==, 400);
}

#define LINE_TOO_LONG_64 \
  "ERROR LIMIT IMAP response at byte 0 is longer than 64 bytes outside literals\n"

static void
test_limits_line (void)
{
  CachetImapParserLimits limits = small_limits (64, 0, 0, 0);
  g_autofree char *text_57 = g_strnfill (57, 'x');
  g_autofree char *text_58 = g_strnfill (58, 'x');
  g_autofree char *at_limit = g_strdup_printf ("* OK %s\r\n", text_57);
  g_autofree char *over_limit = g_strdup_printf ("* OK %s\r\n", text_58);
  g_autofree char *expected_at = g_strdup_printf ("STATUS * OK \"%s\"\n", text_57);
  g_autofree char *twice = g_strdup_printf ("%s%s", at_limit, at_limit);
  g_autofree char *expected_twice = g_strdup_printf ("%s%s", expected_at, expected_at);
  g_autofree char *body = g_strnfill (100, 'b');
  g_autofree char *literal = g_strdup_printf ("* 1 FETCH (BODY[] {100}\r\n%s)\r\n", body);
  g_autofree char *expected_literal =
    g_strdup_printf ("FETCH * #1 FETCH (BODY[] {100}\"%s\")\n", body);
  g_autofree char *unterminated = g_strdup_printf ("* OK %s", body);

  g_assert_cmpuint (strlen (at_limit), ==, 64);
  check_parse_string (at_limit, &limits, expected_at);
  check_parse_string (over_limit, &limits,
                      LINE_TOO_LONG_64);
  /* The count starts again with each response. */
  check_parse_string (twice, &limits, expected_twice);
  /* Literal bytes do not count, */
  check_parse_string (literal, &limits, expected_literal);
  /* but every line of the response does: 25 + 30 + 13 bytes here. */
  check_parse_string ("* 1 FETCH (BODY[] {2}\r\n"
                      "ab X-ONE \"xxxxxxxxxxxx\" X-TWO {2}\r\n"
                      "ab UID 1)\r\n",
                      &limits,
                      LINE_TOO_LONG_64);
  /* A line without end is cut at the limit too. */
  check_parse_string (unterminated, &limits,
                      LINE_TOO_LONG_64);
}

static void
test_limits_literal (void)
{
  CachetImapParserLimits limits = small_limits (0, 100, 0, 0);
  g_autofree char *body_100 = g_strnfill (100, 'z');
  g_autofree char *at_limit = g_strdup_printf ("* 1 FETCH (BODY[] {100}\r\n%s)\r\n", body_100);
  g_autofree char *expected = g_strdup_printf ("FETCH * #1 FETCH (BODY[] {100}\"%s\")\n", body_100);

  check_parse_string (at_limit, &limits, expected);
  check_parse_string ("* 1 FETCH (BODY[] {101}\r\n", &limits,
                      "ERROR LIMIT IMAP literal of 101 bytes at byte 18 is larger than the limit "
                      "of 100 bytes\n");
  check_parse_string ("* 1 FETCH (BINARY[] ~{101}\r\n", &limits,
                      "ERROR LIMIT IMAP literal of 101 bytes at byte 20 is larger than the limit "
                      "of 100 bytes\n");
}

static void
test_limits_depth (void)
{
  CachetImapParserLimits limits = small_limits (0, 0, 5, 0);
  CachetImapParserLimits two = small_limits (0, 0, 2, 0);

  check_parse_string ("* ID (((((x)))))\r\n", &limits, "OTHER * ID (((((x)))))\n");
  check_parse_string ("* ID ((((((x))))))\r\n", &limits,
                      "ERROR LIMIT IMAP response nests lists deeper than 5 levels at byte 10\n");
  /* A section is a level too. */
  check_parse_string ("* 1 FETCH (BODY[1] NIL)\r\n", &two, "FETCH * #1 FETCH (BODY[1] NIL)\n");
  check_parse_string ("* 1 FETCH (BODY[HEADER.FIELDS (FROM)] NIL)\r\n", &two,
                      "ERROR LIMIT IMAP response nests lists deeper than 2 levels at byte 30\n");
}

static void
test_limits_elements (void)
{
  CachetImapParserLimits limits = small_limits (0, 0, 0, 10);

  check_parse_string ("* CAPABILITY A B C D E F G H I J\r\n* CAPABILITY A B C D E F G H I J\r\n",
                      &limits,
                      "CAPABILITY * CAPABILITY A B C D E F G H I J\n"
                      "CAPABILITY * CAPABILITY A B C D E F G H I J\n");
  check_parse_string ("* CAPABILITY A B C D E F G H I J K\r\n", &limits,
                      "ERROR LIMIT IMAP response at byte 0 has more than 10 values\n");
  /* Lists, literals and code arguments count. */
  check_parse_string ("* ID (a b c d e f g h i)\r\n", &limits, "OTHER * ID (a b c d e f g h i)\n");
  check_parse_string ("* ID (a b c d e f g h i j)\r\n", &limits,
                      "ERROR LIMIT IMAP response at byte 0 has more than 10 values\n");
  check_parse_string ("* ID (a b c d e f g h {1}\r\nx {1}\r\ny)\r\n", &limits,
                      "ERROR LIMIT IMAP response at byte 0 has more than 10 values\n");
  check_parse_string ("* OK [CAPABILITY A B C D E F G H I J K] x\r\n", &limits,
                      "ERROR LIMIT IMAP response at byte 0 has more than 10 values\n");
}

/* BODYSTRUCTURE with 100,000 nested lists (hostile vector I21). */
static void
test_limits_default_depth (void)
{
  g_autoptr(GString) input = g_string_new ("* 1 FETCH (BODYSTRUCTURE ");

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (input, '(');
  g_string_append (input, "\r\n");
  check_parse (input->str, input->len, NULL,
               "ERROR LIMIT IMAP response nests lists deeper than 64 levels at byte 88\n");
}

/* A line of 2 MiB that never ends (hostile vector I26). */
static void
test_limits_default_line (void)
{
  gsize length = 2 * 1024 * 1024;
  g_autofree char *input = g_malloc (length);

  memset (input, 'a', length);
  memcpy (input, "* OK ", 5);
  check_parse (input, length, NULL,
               "ERROR LIMIT IMAP response at byte 0 is longer than 1048576 bytes outside "
               "literals\n");
}

/* A line of 300,000 empty strings: each costs its own size, not the rest of
 * the line (which would be 150 GB here). */
static void
test_limits_many_strings (void)
{
  g_autoptr(GString) input = g_string_new ("* ID (");
  g_autoptr(CachetImapResponse) response = NULL;
  const CachetImapValue *list;

  for (guint i = 0; i < 300000; i++)
    g_string_append (input, "\"\" ");
  g_string_append (input, ")\r\n");
  g_assert_cmpuint (input->len, <, CACHET_IMAP_PARSER_DEFAULT_MAX_LINE_LENGTH);

  response = parse_one (input->str);
  list = cachet_imap_value_get_child (cachet_imap_response_get_data (response), 0);
  g_assert_cmpuint (cachet_imap_value_get_n_children (list), ==, 300000);
}

/* Accessors ------------------------------------------------------------- */

static void
test_accessors_status (void)
{
  g_autoptr(CachetImapResponse) tagged = parse_one ("A17 NO [TRYCREATE] Mailbox doesn't exist\r\n");
  g_autoptr(CachetImapResponse) untagged = parse_one ("* BYE [ALERT] Server shutting down\r\n");
  g_autoptr(CachetImapResponse) bare = parse_one ("a1 bad\r\n");

  g_assert_cmpint (type_of (tagged), ==, CACHET_IMAP_RESPONSE_STATUS);
  g_assert_cmpstr (cachet_imap_response_get_tag (tagged), ==, "A17");
  g_assert_cmpstr (cachet_imap_response_get_name (tagged), ==, "NO");
  g_assert_cmpint (cachet_imap_response_get_status (tagged), ==, CACHET_IMAP_STATUS_NO);
  g_assert_cmpint (cachet_imap_response_get_code (tagged), ==, CACHET_IMAP_RESPONSE_CODE_TRYCREATE);
  g_assert_cmpstr (cachet_imap_response_get_code_name (tagged), ==, "TRYCREATE");
  g_assert_null (cachet_imap_response_get_code_text (tagged));
  g_assert_null (cachet_imap_response_get_code_arguments (tagged));
  g_assert_false (cachet_imap_response_get_code_number (tagged, NULL));
  g_assert_cmpstr (cachet_imap_response_get_text (tagged), ==, "Mailbox doesn't exist");
  g_assert_null (cachet_imap_response_get_data (tagged));
  g_assert_false (cachet_imap_response_get_number (tagged, NULL));
  g_assert_null (cachet_imap_response_dup_capabilities (tagged));
  g_assert_null (cachet_imap_response_dup_flags (tagged));
  g_assert_null (cachet_imap_response_get_mailbox (tagged));

  g_assert_null (cachet_imap_response_get_tag (untagged));
  g_assert_cmpint (cachet_imap_response_get_status (untagged), ==, CACHET_IMAP_STATUS_BYE);
  g_assert_cmpint (cachet_imap_response_get_code (untagged), ==, CACHET_IMAP_RESPONSE_CODE_ALERT);
  g_assert_cmpstr (cachet_imap_response_get_text (untagged), ==, "Server shutting down");

  g_assert_cmpint (cachet_imap_response_get_status (bare), ==, CACHET_IMAP_STATUS_BAD);
  g_assert_cmpint (cachet_imap_response_get_code (bare), ==, CACHET_IMAP_RESPONSE_CODE_NONE);
  g_assert_null (cachet_imap_response_get_code_name (bare));
  g_assert_cmpstr (cachet_imap_response_get_text (bare), ==, "");
}

static void
test_accessors_codes (void)
{
  static const struct
  {
    const char             *input;
    CachetImapResponseCode  code;
    guint64                 number;
  } numbers[] = {
    { "* OK [UIDNEXT 4392] x\r\n", CACHET_IMAP_RESPONSE_CODE_UIDNEXT, 4392 },
    { "* OK [UIDVALIDITY 4294967295] x\r\n", CACHET_IMAP_RESPONSE_CODE_UIDVALIDITY, 4294967295u },
    { "* OK [UNSEEN 12] x\r\n", CACHET_IMAP_RESPONSE_CODE_UNSEEN, 12 },
    { "* OK [HIGHESTMODSEQ 9223372036854775807] x\r\n", CACHET_IMAP_RESPONSE_CODE_HIGHESTMODSEQ,
      G_MAXINT64 },
    { "A1 OK [APPENDUID 38505 3955] x\r\n", CACHET_IMAP_RESPONSE_CODE_APPENDUID, 38505 },
    { "A1 OK [COPYUID 38506 1 2] x\r\n", CACHET_IMAP_RESPONSE_CODE_COPYUID, 38506 },
  };
  static const struct
  {
    const char             *name;
    CachetImapResponseCode  code;
  } names[] = {
    { "ALERT", CACHET_IMAP_RESPONSE_CODE_ALERT },
    { "CLOSED", CACHET_IMAP_RESPONSE_CODE_CLOSED },
    { "NOMODSEQ", CACHET_IMAP_RESPONSE_CODE_NOMODSEQ },
    { "READ-ONLY", CACHET_IMAP_RESPONSE_CODE_READ_ONLY },
    { "read-write", CACHET_IMAP_RESPONSE_CODE_READ_WRITE },
    { "TRYCREATE", CACHET_IMAP_RESPONSE_CODE_TRYCREATE },
    { "AUTHENTICATIONFAILED", CACHET_IMAP_RESPONSE_CODE_AUTHENTICATIONFAILED },
    { "OVERQUOTA", CACHET_IMAP_RESPONSE_CODE_OVERQUOTA },
    { "UNKNOWN-CTE", CACHET_IMAP_RESPONSE_CODE_UNKNOWN_CTE },
    { "X-SOMETHING", CACHET_IMAP_RESPONSE_CODE_OTHER },
  };
  g_autoptr(CachetImapResponse) copyuid =
    parse_one ("A2 OK [COPYUID 38505 304,319:320 3956:3958] x\r\n");
  g_autoptr(CachetImapResponse) appenduid = parse_one ("A3 OK [APPENDUID 1 7] x\r\n");
  g_autoptr(CachetImapResponse) modified = parse_one ("A4 OK [MODIFIED 7,9:10] x\r\n");
  g_autoptr(GArray) source = NULL;
  g_autoptr(GArray) destination = NULL;
  g_autoptr(GArray) appended = NULL;
  g_autoptr(GArray) changed = NULL;
  CachetImapRange *range;

  for (gsize i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      g_autoptr(CachetImapResponse) response = parse_one (numbers[i].input);
      guint64 number = 0;

      g_assert_cmpint (cachet_imap_response_get_code (response), ==, numbers[i].code);
      g_assert_true (cachet_imap_response_get_code_number (response, &number));
      g_assert_cmpuint (number, ==, numbers[i].number);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *input = g_strdup_printf ("* OK [%s] x\r\n", names[i].name);
      g_autoptr(CachetImapResponse) response = parse_one (input);
      g_autofree char *upper = g_ascii_strup (names[i].name, -1);

      g_assert_cmpint (cachet_imap_response_get_code (response), ==, names[i].code);
      g_assert_cmpstr (cachet_imap_response_get_code_name (response), ==, upper);
    }

  source = cachet_imap_response_dup_code_uid_set (copyuid, 1);
  destination = cachet_imap_response_dup_code_uid_set (copyuid, 2);
  g_assert_cmpuint (source->len, ==, 2);
  range = &g_array_index (source, CachetImapRange, 0);
  g_assert_cmpuint (range->first, ==, 304);
  g_assert_cmpuint (range->last, ==, 304);
  range = &g_array_index (source, CachetImapRange, 1);
  g_assert_cmpuint (range->first, ==, 319);
  g_assert_cmpuint (range->last, ==, 320);
  g_assert_cmpuint (destination->len, ==, 1);
  range = &g_array_index (destination, CachetImapRange, 0);
  g_assert_cmpuint (range->first, ==, 3956);
  g_assert_cmpuint (range->last, ==, 3958);
  g_assert_null (cachet_imap_response_dup_code_uid_set (copyuid, 0));
  g_assert_null (cachet_imap_response_dup_code_uid_set (copyuid, 3));

  appended = cachet_imap_response_dup_code_uid_set (appenduid, 1);
  g_assert_cmpuint (appended->len, ==, 1);
  g_assert_cmpuint (g_array_index (appended, CachetImapRange, 0).first, ==, 7);

  changed = cachet_imap_response_dup_code_uid_set (modified, 0);
  g_assert_cmpuint (changed->len, ==, 2);
  g_assert_cmpuint (g_array_index (changed, CachetImapRange, 1).last, ==, 10);
  g_assert_false (cachet_imap_response_get_code_number (modified, NULL));
}

static void
assert_strv (char       **strv,
             const char  *joined)
{
  g_autofree char *got = NULL;

  g_assert_nonnull (strv);
  got = g_strjoinv (" ", strv);
  g_assert_cmpstr (got, ==, joined);
  g_strfreev (strv);
}

static void
test_accessors_capabilities (void)
{
  g_autoptr(CachetImapResponse) data = parse_one ("* CAPABILITY IMAP4rev1 idle AUTH=PLAIN\r\n");
  g_autoptr(CachetImapResponse) code = parse_one ("* OK [CAPABILITY IMAP4rev1 STARTTLS] hi\r\n");
  g_autoptr(CachetImapResponse) empty = parse_one ("* CAPABILITY\r\n");
  g_autoptr(CachetImapResponse) enabled = parse_one ("* ENABLED condstore\r\n");
  g_auto(GStrv) none = NULL;

  assert_strv (cachet_imap_response_dup_capabilities (data), "IMAP4REV1 IDLE AUTH=PLAIN");
  assert_strv (cachet_imap_response_dup_capabilities (code), "IMAP4REV1 STARTTLS");
  assert_strv (cachet_imap_response_dup_capabilities (enabled), "CONDSTORE");
  none = cachet_imap_response_dup_capabilities (empty);
  g_assert_nonnull (none);
  g_assert_cmpuint (g_strv_length (none), ==, 0);
}

static void
test_accessors_flags (void)
{
  g_autoptr(CachetImapResponse) flags = parse_one ("* FLAGS (\\Seen $Forwarded $Label1)\r\n");
  g_autoptr(CachetImapResponse) fetch =
    parse_one ("* 3 FETCH (UID 9 FLAGS (\\Answered \\Seen))\r\n");
  g_autoptr(CachetImapResponse) fetch_none = parse_one ("* 3 FETCH (UID 9)\r\n");
  g_autoptr(CachetImapResponse) permanent =
    parse_one ("* OK [PERMANENTFLAGS (\\Deleted \\*)] x\r\n");

  assert_strv (cachet_imap_response_dup_flags (flags), "\\Seen $Forwarded $Label1");
  assert_strv (cachet_imap_response_dup_flags (fetch), "\\Answered \\Seen");
  assert_strv (cachet_imap_response_dup_flags (permanent), "\\Deleted \\*");
  g_assert_null (cachet_imap_response_dup_flags (fetch_none));
}

static void
test_fetch_accessors (void)
{
  static const char input[] =
    "* 12 FETCH (UID 4827 RFC822.SIZE 31337 MODSEQ (90060115205545359) "
    "INTERNALDATE \"14-Jan-2025 09:12:44 +0100\" "
    "ENVELOPE (\"Tue, 14 Jan 2025 09:12:44 +0100\" {18}\r\nCompte rendu \303\251cho "
    "((\"Labo\" NIL \"resultats\" \"labo.example.fr\")) NIL NIL NIL NIL NIL NIL NIL) "
    "BODY[HEADER.FIELDS (\"From\" Subject)] {9}\r\nFrom: x\r\n "
    "BODY[]<1024> {4}\r\nabcd BINARY[1] ~{3}\r\na\000b BINARY.SIZE[1] 3)\r\n";
  static const char lower_case_key[] = "body[header.fields (from subject)]";
  g_autoptr(CachetImapResponse) response = parse_one_length (input, sizeof input - 1);
  const CachetImapValue *envelope;
  const CachetImapValue *from;
  const CachetImapValue *value;
  g_autoptr(GBytes) bytes = NULL;
  const char *text;
  gsize length = 0;
  guint64 number = 0;

  g_assert_cmpint (type_of (response), ==, CACHET_IMAP_RESPONSE_FETCH);
  g_assert_true (cachet_imap_response_get_number (response, &number));
  g_assert_cmpuint (number, ==, 12);

  g_assert_true (cachet_imap_response_get_fetch_number (response, "uid", &number));
  g_assert_cmpuint (number, ==, 4827);
  g_assert_true (cachet_imap_response_get_fetch_number (response, "RFC822.SIZE", &number));
  g_assert_cmpuint (number, ==, 31337);
  g_assert_true (cachet_imap_response_get_fetch_number (response, "MODSEQ", &number));
  g_assert_cmpuint (number, ==, 90060115205545359u);
  g_assert_true (cachet_imap_response_get_fetch_number (response, "BINARY.SIZE[1]", &number));
  g_assert_cmpuint (number, ==, 3);
  g_assert_false (cachet_imap_response_get_fetch_number (response, "INTERNALDATE", &number));
  g_assert_false (cachet_imap_response_get_fetch_number (response, "X-MISSING", &number));
  g_assert_null (cachet_imap_response_get_fetch_attribute (response, "FLAGS"));

  value = cachet_imap_response_get_fetch_attribute (response, "InternalDate");
  g_assert_cmpint (cachet_imap_value_get_value_type (value), ==, CACHET_IMAP_VALUE_QUOTED);
  g_assert_cmpstr (cachet_imap_value_get_string (value, NULL), ==, "14-Jan-2025 09:12:44 +0100");
  g_assert_null (cachet_imap_value_get_atom (value));
  g_assert_false (cachet_imap_value_get_number (value, NULL));

  envelope = cachet_imap_response_get_fetch_attribute (response, "ENVELOPE");
  g_assert_cmpint (cachet_imap_value_get_value_type (envelope), ==, CACHET_IMAP_VALUE_LIST);
  g_assert_cmpuint (cachet_imap_value_get_n_children (envelope), ==, 10);
  value = cachet_imap_value_get_child (envelope, 1);
  g_assert_cmpint (cachet_imap_value_get_value_type (value), ==, CACHET_IMAP_VALUE_LITERAL);
  text = cachet_imap_value_get_string (value, &length);
  g_assert_cmpstr (text, ==, "Compte rendu \303\251cho");
  g_assert_cmpuint (length, ==, 18);
  from = cachet_imap_value_get_child (cachet_imap_value_get_child (envelope, 2), 0);
  g_assert_cmpuint (cachet_imap_value_get_n_children (from), ==, 4);
  g_assert_cmpstr (string_of (child (from, 0)), ==, "Labo");
  g_assert_true (cachet_imap_value_is_nil (cachet_imap_value_get_child (from, 1)));
  g_assert_null (cachet_imap_value_get_string (cachet_imap_value_get_child (from, 1), NULL));
  g_assert_null (cachet_imap_value_dup_bytes (cachet_imap_value_get_child (from, 1)));
  g_assert_true (cachet_imap_value_is_nil (cachet_imap_value_get_child (envelope, 9)));

  /* The server quoted a field name and changed its case: the key is canonical. */
  value = cachet_imap_response_get_fetch_attribute (response, "BODY[HEADER.FIELDS (FROM SUBJECT)]");
  g_assert_nonnull (value);
  g_assert_cmpstr (cachet_imap_value_get_string (value, NULL), ==, "From: x\r\n");
  g_assert_true (cachet_imap_response_get_fetch_attribute (response, lower_case_key) == value);

  value = cachet_imap_response_get_fetch_attribute (response, "BODY[]");
  bytes = cachet_imap_value_dup_bytes (value);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "abcd", 4);
  g_clear_pointer (&bytes, g_bytes_unref);

  /* Binary data with a NUL: bytes only, never a truncated string. */
  value = cachet_imap_response_get_fetch_attribute (response, "BINARY[1]");
  g_assert_null (cachet_imap_value_get_string (value, NULL));
  bytes = cachet_imap_value_dup_bytes (value);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "a\000b", 3);
  g_clear_pointer (&bytes, g_bytes_unref);

  /* The names of the items are values too: sections have their key and origin. */
  value = child (child (cachet_imap_response_get_data (response), 0), 12);
  g_assert_cmpint (cachet_imap_value_get_value_type (value), ==, CACHET_IMAP_VALUE_SECTION);
  g_assert_cmpstr (cachet_imap_value_get_section_key (value), ==, "BODY[]");
  g_assert_true (cachet_imap_value_get_section_origin (value, &number));
  g_assert_cmpuint (number, ==, 1024);
  g_assert_cmpuint (cachet_imap_value_get_n_children (value), ==, 0);
  value = child (child (cachet_imap_response_get_data (response), 0), 10);
  g_assert_cmpstr (cachet_imap_value_get_section_key (value), ==,
                   "BODY[HEADER.FIELDS (FROM SUBJECT)]");
  g_assert_false (cachet_imap_value_get_section_origin (value, NULL));
  g_assert_cmpuint (cachet_imap_value_get_n_children (value), ==, 2);
  g_assert_cmpstr (cachet_imap_value_get_atom (child (value, 0)), ==, "HEADER.FIELDS");
  g_assert_null (cachet_imap_value_get_section_key (cachet_imap_value_get_child (value, 0)));
}

static void
test_list_accessors (void)
{
  g_autoptr(CachetImapResponse) sent =
    parse_one ("* LIST (\\HasNoChildren \\Sent) \"/\" \"Envoy&AOk-s\"\r\n");
  g_autoptr(CachetImapResponse) flat = parse_one ("* LSUB (\\Noinferiors) NIL INBOX\r\n");
  g_autoptr(CachetImapResponse) literal = parse_one ("* LIST () \".\" {13}\r\nR&AOk-sultats\r\n");
  g_autoptr(CachetImapResponse) backslash = parse_one ("* LIST () \"\\\\\" Drafts\r\n");
  g_autoptr(CachetImapResponse) status =
    parse_one ("* STATUS {5}\r\nINBOX (MESSAGES 12 UIDNEXT 4 MAILBOXID (x))\r\n");
  g_autofree char *decoded = NULL;
  g_autoptr(GError) error = NULL;
  guint64 number = 0;

  assert_strv (cachet_imap_response_dup_mailbox_attributes (sent), "\\HasNoChildren \\Sent");
  g_assert_cmpint (cachet_imap_response_get_mailbox_delimiter (sent), ==, '/');
  g_assert_cmpstr (cachet_imap_response_get_mailbox (sent), ==, "Envoy&AOk-s");
  decoded = cachet_imap_utf7_decode (cachet_imap_response_get_mailbox (sent), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (decoded, ==, "Envoy\303\251s");

  g_assert_cmpint (cachet_imap_response_get_response_type (flat), ==, CACHET_IMAP_RESPONSE_LSUB);
  g_assert_cmpint (cachet_imap_response_get_mailbox_delimiter (flat), ==, '\0');
  g_assert_cmpstr (cachet_imap_response_get_mailbox (flat), ==, "INBOX");

  g_assert_cmpstr (cachet_imap_response_get_mailbox (literal), ==, "R&AOk-sultats");
  g_assert_cmpint (cachet_imap_response_get_mailbox_delimiter (literal), ==, '.');
  g_assert_cmpint (cachet_imap_response_get_mailbox_delimiter (backslash), ==, '\\');

  g_assert_null (cachet_imap_response_dup_mailbox_attributes (status));
  g_assert_cmpint (cachet_imap_response_get_mailbox_delimiter (status), ==, '\0');
  g_assert_cmpstr (cachet_imap_response_get_mailbox (status), ==, "INBOX");
  g_assert_true (cachet_imap_response_get_status_item (status, "messages", &number));
  g_assert_cmpuint (number, ==, 12);
  g_assert_true (cachet_imap_response_get_status_item (status, "UIDNEXT", &number));
  g_assert_cmpuint (number, ==, 4);
  g_assert_false (cachet_imap_response_get_status_item (status, "MAILBOXID", &number));
  g_assert_false (cachet_imap_response_get_status_item (status, "UNSEEN", &number));
  g_assert_false (cachet_imap_response_get_status_item (sent, "MESSAGES", &number));
}

static void
test_search_accessors (void)
{
  g_autoptr(CachetImapResponse) search =
    parse_one ("* SEARCH 2 84 4294967295 (MODSEQ 917162500)\r\n");
  g_autoptr(CachetImapResponse) empty = parse_one ("* SEARCH\r\n");
  g_autoptr(CachetImapResponse) vanished = parse_one ("* VANISHED (EARLIER) 41,43:116\r\n");
  g_autoptr(CachetImapResponse) expunged = parse_one ("* VANISHED 9:7\r\n");
  g_autoptr(GArray) results = cachet_imap_response_dup_search_results (search);
  g_autoptr(GArray) none = cachet_imap_response_dup_search_results (empty);
  g_autoptr(GArray) earlier_ranges = NULL;
  g_autoptr(GArray) ranges = NULL;
  gboolean earlier = FALSE;

  g_assert_cmpuint (results->len, ==, 3);
  g_assert_cmpuint (g_array_index (results, guint32, 0), ==, 2);
  g_assert_cmpuint (g_array_index (results, guint32, 1), ==, 84);
  g_assert_cmpuint (g_array_index (results, guint32, 2), ==, 4294967295u);
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_null (cachet_imap_response_dup_search_results (vanished));

  earlier_ranges = cachet_imap_response_dup_vanished (vanished, &earlier);
  g_assert_true (earlier);
  g_assert_cmpuint (earlier_ranges->len, ==, 2);
  g_assert_cmpuint (g_array_index (earlier_ranges, CachetImapRange, 1).first, ==, 43);
  g_assert_cmpuint (g_array_index (earlier_ranges, CachetImapRange, 1).last, ==, 116);

  ranges = cachet_imap_response_dup_vanished (expunged, &earlier);
  g_assert_false (earlier);
  g_assert_cmpuint (ranges->len, ==, 1);
  g_assert_cmpuint (g_array_index (ranges, CachetImapRange, 0).first, ==, 7);
  g_assert_cmpuint (g_array_index (ranges, CachetImapRange, 0).last, ==, 9);
  g_assert_null (cachet_imap_response_dup_vanished (search, NULL));
}

static void
test_continuation_accessors (void)
{
  g_autoptr(CachetImapResponse) response = parse_one ("+ dXNlcm5hbWU6\r\n");

  g_assert_cmpint (type_of (response), ==, CACHET_IMAP_RESPONSE_CONTINUATION);
  g_assert_null (cachet_imap_response_get_tag (response));
  g_assert_null (cachet_imap_response_get_name (response));
  g_assert_cmpint (cachet_imap_response_get_status (response), ==, CACHET_IMAP_STATUS_NONE);
  g_assert_cmpstr (cachet_imap_response_get_text (response), ==, "dXNlcm5hbWU6");
  g_assert_null (cachet_imap_response_get_data (response));
}

static void
test_generic_data (void)
{
  g_autoptr(CachetImapResponse) response = parse_one ("* NAMESPACE ((\"\" \"/\")) NIL NIL\r\n");
  g_autoptr(CachetImapResponse) exists = parse_one ("* 23 EXISTS\r\n");
  const CachetImapValue *data = cachet_imap_response_get_data (response);
  const CachetImapValue *personal;
  guint64 number = 0;

  g_assert_cmpint (type_of (response), ==, CACHET_IMAP_RESPONSE_OTHER);
  g_assert_cmpstr (cachet_imap_response_get_name (response), ==, "NAMESPACE");
  g_assert_null (cachet_imap_response_get_text (response));
  g_assert_cmpuint (cachet_imap_value_get_n_children (data), ==, 3);
  personal = cachet_imap_value_get_child (cachet_imap_value_get_child (data, 0), 0);
  g_assert_cmpstr (string_of (child (personal, 0)), ==, "");
  g_assert_cmpstr (string_of (child (personal, 1)), ==, "/");
  g_assert_true (cachet_imap_value_is_nil (cachet_imap_value_get_child (data, 2)));

  g_assert_cmpint (type_of (exists), ==, CACHET_IMAP_RESPONSE_EXISTS);
  g_assert_true (cachet_imap_response_get_number (exists, &number));
  g_assert_cmpuint (number, ==, 23);
  g_assert_cmpuint (cachet_imap_value_get_n_children (cachet_imap_response_get_data (exists)),
                    ==, 0);
}

/* Streams ---------------------------------------------------------------- */

/* Bytes that arrive in the same packet as the answer to STARTTLS must not
 * be taken as if they came through TLS (hostile vector I01). */
static void
test_pending_data (void)
{
  static const char input[] =
    "A OK begin TLS\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nB OK done\r\n";
  g_autoptr(CachetImapParser) parser = cachet_imap_parser_new (NULL);
  g_autoptr(CachetImapResponse) ok = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (cachet_imap_parser_has_pending_data (parser));
  g_assert_true (cachet_imap_parser_feed (parser, (const guint8 *) input, strlen (input), &error));
  g_assert_no_error (error);
  ok = cachet_imap_parser_next_response (parser);
  g_assert_cmpstr (cachet_imap_response_get_tag (ok), ==, "A");
  g_assert_true (cachet_imap_parser_has_pending_data (parser));
  while (TRUE)
    {
      g_autoptr(CachetImapResponse) next = cachet_imap_parser_next_response (parser);

      if (next == NULL)
        break;
    }
  g_assert_false (cachet_imap_parser_has_pending_data (parser));

  /* Half a line, or a response waiting for its literal, is pending too. */
  g_assert_true (cachet_imap_parser_feed (parser, (const guint8 *) "* O", 3, &error));
  g_assert_true (cachet_imap_parser_has_pending_data (parser));
  g_assert_true (cachet_imap_parser_feed (parser, (const guint8 *) "K\r\n* 1 FETCH (BODY[] {3}\r\n",
                                          27, &error));
  g_clear_pointer (&ok, cachet_imap_response_unref);
  ok = cachet_imap_parser_next_response (parser);
  g_assert_nonnull (ok);
  g_assert_null (cachet_imap_parser_next_response (parser));
  g_assert_true (cachet_imap_parser_has_pending_data (parser));
  g_assert_no_error (error);
}

/* A huge literal announced and never sent costs nothing (hostile vector I11). */
static void
test_literal_announced (void)
{
  static const char input[] = "* 1 FETCH (BODY[] {268435456}\r\nten bytes.";
  g_autoptr(CachetImapParser) parser = cachet_imap_parser_new (NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (cachet_imap_parser_feed (parser, (const guint8 *) input, strlen (input), &error));
  g_assert_no_error (error);
  g_assert_null (cachet_imap_parser_next_response (parser));
  g_assert_true (cachet_imap_parser_has_pending_data (parser));
}

/* A 50 MB message as one literal, received in 64 KiB reads. */
static void
test_big_literal (void)
{
  gsize size = 50 * 1000 * 1000;
  g_autofree char *head =
    g_strdup_printf ("* 1 FETCH (UID 7 BODY[] {%" G_GSIZE_FORMAT "}\r\n", size);
  g_autofree guint8 *body = g_malloc (size);
  g_autoptr(CachetImapParser) parser = cachet_imap_parser_new (NULL);
  g_autoptr(CachetImapResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GTimer) timer = NULL;
  const CachetImapValue *value;
  gsize chunk = 64 * 1024;

  for (gsize i = 0; i < size; i++)
    body[i] = (guint8) (i * 7 + i / 4096);

  timer = g_timer_new ();
  g_assert_true (cachet_imap_parser_feed (parser, (const guint8 *) head, strlen (head), &error));
  for (gsize pos = 0; pos < size; pos += chunk)
    g_assert_true (cachet_imap_parser_feed (parser, body + pos, MIN (chunk, size - pos), &error));
  g_assert_true (cachet_imap_parser_feed (parser, (const guint8 *) ")\r\n", 3, &error));
  g_timer_stop (timer);
  g_assert_no_error (error);
  g_test_message ("50 MB literal parsed in %.3f s", g_timer_elapsed (timer, NULL));

  response = cachet_imap_parser_next_response (parser);
  g_assert_nonnull (response);
  value = cachet_imap_response_get_fetch_attribute (response, "BODY[]");
  bytes = cachet_imap_value_dup_bytes (value);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), body, size);
}

static void
test_sequence_set_parse (void)
{
  static const struct
  {
    const char *text;
    const char *ranges;   /* "first-last,…", or NULL for an error */
  } cases[] = {
    { "1", "1-1" },
    { "304,319:320", "304-304,319-320" },
    { "9:5", "5-9" },
    { "4294967295", "4294967295-4294967295" },
    { "1:4294967295,7", "1-4294967295,7-7" },
    { "", NULL },
    { "0", NULL },
    { "1:*", NULL },
    { "*", NULL },
    { "1,", NULL },
    { ",1", NULL },
    { "1::2", NULL },
    { "4294967296", NULL },
    { "1 2", NULL },
    { "99999999999999999999999", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) ranges = cachet_imap_sequence_set_parse (cases[i].text, &error);
      g_autoptr(GString) got = g_string_new (NULL);

      if (cases[i].ranges == NULL)
        {
          g_assert_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_PARSE);
          g_assert_null (ranges);
          continue;
        }
      g_assert_no_error (error);
      for (guint j = 0; j < ranges->len; j++)
        {
          CachetImapRange *range = &g_array_index (ranges, CachetImapRange, j);

          g_string_append_printf (got, "%s%u-%u", j > 0 ? "," : "", range->first, range->last);
        }
      g_assert_cmpstr (got->str, ==, cases[i].ranges);
    }
}

int
main (int    argc,
      char **argv)
{
  cachet_test_init (&argc, &argv);

  for (gsize i = 0; i < G_N_ELEMENTS (good_cases); i++)
    g_test_add_data_func (good_cases[i].path, &good_cases[i], test_case);
  for (gsize i = 0; i < G_N_ELEMENTS (malformed_cases); i++)
    g_test_add_data_func (malformed_cases[i].path, &malformed_cases[i], test_case);

  g_test_add_func ("/imap/parser/limits/defaults", test_limits_defaults);
  g_test_add_func ("/imap/parser/limits/line", test_limits_line);
  g_test_add_func ("/imap/parser/limits/literal", test_limits_literal);
  g_test_add_func ("/imap/parser/limits/depth", test_limits_depth);
  g_test_add_func ("/imap/parser/limits/elements", test_limits_elements);
  g_test_add_func ("/imap/parser/limits/default-depth", test_limits_default_depth);
  g_test_add_func ("/imap/parser/limits/default-line", test_limits_default_line);
  g_test_add_func ("/imap/parser/limits/many-strings", test_limits_many_strings);
  g_test_add_func ("/imap/parser/accessors/status", test_accessors_status);
  g_test_add_func ("/imap/parser/accessors/codes", test_accessors_codes);
  g_test_add_func ("/imap/parser/accessors/capabilities", test_accessors_capabilities);
  g_test_add_func ("/imap/parser/accessors/flags", test_accessors_flags);
  g_test_add_func ("/imap/parser/accessors/fetch", test_fetch_accessors);
  g_test_add_func ("/imap/parser/accessors/list", test_list_accessors);
  g_test_add_func ("/imap/parser/accessors/search", test_search_accessors);
  g_test_add_func ("/imap/parser/accessors/continuation", test_continuation_accessors);
  g_test_add_func ("/imap/parser/accessors/generic", test_generic_data);
  g_test_add_func ("/imap/parser/stream/pending-data", test_pending_data);
  g_test_add_func ("/imap/parser/stream/literal-announced", test_literal_announced);
  g_test_add_func ("/imap/parser/stream/big-literal", test_big_literal);
  g_test_add_func ("/imap/parser/sequence-set/parse", test_sequence_set_parse);

  return g_test_run ();
}
