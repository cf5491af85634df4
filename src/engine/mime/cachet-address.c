/* cachet-address.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cachet-address.h"
#include "cachet-message-summary.h"
#include "cachet-mime.h"

/* What the user types goes into headers and the SMTP envelope: an address is
 * accepted only in the plain dot-atom form every server takes, and nothing
 * that could end a line, open another address or hide a second one. */

/* RFC 5321: a path is at most 256 octets, brackets included. */
#define MAX_ADDRESS_BYTES 254

static gboolean
has_control_character (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        return TRUE;
    }
  return FALSE;
}

static void
set_invalid_address_error (GError     **error,
                           const char  *address)
{
  g_set_error (error, CACHET_MIME_ERROR, CACHET_MIME_ERROR_INVALID,
               _("“%s” is not a mail address. Addresses look like name@example.org."),
               address);
}

/**
 * cachet_address_validate:
 * @address: an addr-spec, such as "name@example.org"
 * @error: return location for a #GError
 *
 * Checks that @address is one RFC 5322 addr-spec in dot-atom form (no quoted
 * local part, no domain literal, no display name, no comment) that GMime reads
 * back as exactly itself.
 *
 * Returns: %TRUE when @address can be sent to
 */
gboolean
cachet_address_validate (const char  *address,
                         GError     **error)
{
  g_autoptr(InternetAddressList) parsed = NULL;
  const char *at;

  if (address == NULL || *address == '\0' || strlen (address) > MAX_ADDRESS_BYTES ||
      !g_utf8_validate (address, -1, NULL) || has_control_character (address))
    goto invalid;

  at = strrchr (address, '@');
  if (at == NULL || at == address || at[1] == '\0' || strchr (address, '@') != at ||
      strpbrk (address, " \t<>,;:\"()[]\\") != NULL ||
      address[0] == '.' || at[-1] == '.' || at[1] == '.' || g_str_has_suffix (address, ".") ||
      strstr (address, "..") != NULL)
    goto invalid;

  cachet_mime_init ();
  parsed = internet_address_list_parse (NULL, address);
  if (parsed == NULL || internet_address_list_length (parsed) != 1 ||
      !INTERNET_ADDRESS_IS_MAILBOX (internet_address_list_get_address (parsed, 0)) ||
      g_strcmp0 (internet_address_mailbox_get_addr (
                   INTERNET_ADDRESS_MAILBOX (internet_address_list_get_address (parsed, 0))), address) != 0)
    goto invalid;

  return TRUE;

invalid:
  set_invalid_address_error (error, address != NULL ? address : "");
  return FALSE;
}

/* Splits @text on the commas that separate mailboxes: not those inside a
 * quoted display name or angle brackets. GMime's own list parser skips what
 * it cannot read, where the user must be told. */
static GPtrArray *
split_mailboxes (const char *text)
{
  GPtrArray *pieces = g_ptr_array_new_with_free_func (g_free);
  const char *start = text;
  gboolean in_quotes = FALSE;
  gboolean in_brackets = FALSE;

  for (const char *p = text;; p++)
    {
      if (*p == '\0' || (*p == ',' && !in_quotes && !in_brackets))
        {
          char *piece = g_strstrip (g_strndup (start, (gsize) (p - start)));

          if (*piece != '\0')
            g_ptr_array_add (pieces, piece);
          else
            g_free (piece);
          if (*p == '\0')
            break;
          start = p + 1;
        }
      else if (in_quotes && *p == '\\' && p[1] != '\0')
        p++;
      else if (*p == '"')
        in_quotes = !in_quotes;
      else if (!in_quotes && *p == '<')
        in_brackets = TRUE;
      else if (!in_quotes && *p == '>')
        in_brackets = FALSE;
    }

  return pieces;
}

/* Reads one mailbox as typed: "name@example.org" or
 * "Display Name <name@example.org>", and nothing else around it. */
static CachetMessageAddress *
parse_mailbox (const char  *piece,
               GError     **error)
{
  g_autoptr(InternetAddressList) parsed = NULL;
  g_autofree char *typed_address = NULL;
  InternetAddress *mailbox;
  const char *addr;
  const char *name;
  const char *open;
  CachetMessageAddress *address;

  open = strrchr (piece, '<');
  if (open != NULL)
    {
      if (!g_str_has_suffix (piece, ">"))
        goto invalid;
      typed_address = g_strndup (open + 1, strlen (open + 1) - 1);
    }
  else
    {
      typed_address = g_strdup (piece);
    }

  cachet_mime_init ();
  parsed = internet_address_list_parse (NULL, piece);
  if (parsed == NULL || internet_address_list_length (parsed) != 1 ||
      !INTERNET_ADDRESS_IS_MAILBOX (internet_address_list_get_address (parsed, 0)))
    goto invalid;
  mailbox = internet_address_list_get_address (parsed, 0);
  addr = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (mailbox));
  /* Whatever GMime made of the piece must be all of what was typed. */
  if (g_strcmp0 (addr, typed_address) != 0 || !cachet_address_validate (addr, NULL))
    goto invalid;

  name = internet_address_get_name (mailbox);
  address = g_new0 (CachetMessageAddress, 1);
  address->name = name != NULL && *name != '\0' ? g_strdup (name) : NULL;
  address->address = g_strdup (addr);
  return address;

invalid:
  set_invalid_address_error (error, piece);
  return NULL;
}

/**
 * cachet_address_parse_list:
 * @text: what the user typed in a recipient field: addresses, with or
 *   without display names (quoted when they hold a comma), separated by
 *   commas
 * @error: return location for a #GError
 *
 * An empty field gives an empty list. Any address that
 * cachet_address_validate() refuses makes the whole field invalid, and the
 * error names it.
 *
 * Returns: (transfer full) (element-type CachetMessageAddress) (nullable):
 *   the mailboxes in order, or %NULL on error
 */
GPtrArray *
cachet_address_parse_list (const char  *text,
                           GError     **error)
{
  g_autoptr(GPtrArray) mailboxes = NULL;
  g_autoptr(GPtrArray) pieces = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL) || has_control_character (text))
    {
      g_set_error_literal (error, CACHET_MIME_ERROR, CACHET_MIME_ERROR_INVALID,
                           _("Addresses cannot contain line breaks or control characters."));
      return NULL;
    }

  pieces = split_mailboxes (text);
  if (pieces->len > CACHET_ADDRESS_MAX_LIST)
    {
      g_set_error (error, CACHET_MIME_ERROR, CACHET_MIME_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE,
                                "A field can hold at most %d address.",
                                "A field can hold at most %d addresses.",
                                CACHET_ADDRESS_MAX_LIST),
                   CACHET_ADDRESS_MAX_LIST);
      return NULL;
    }

  mailboxes = g_ptr_array_new_with_free_func ((GDestroyNotify) cachet_message_address_free);
  for (guint i = 0; i < pieces->len; i++)
    {
      CachetMessageAddress *address = parse_mailbox (g_ptr_array_index (pieces, i), error);

      if (address == NULL)
        return NULL;
      g_ptr_array_add (mailboxes, address);
    }

  return g_steal_pointer (&mailboxes);
}

/**
 * cachet_address_format:
 * @name: (nullable): a display name
 * @address: an addr-spec
 *
 * Returns: (transfer full): the mailbox as the user reads and types it,
 *   e.g. "Dr Martin <martin@example.org>", quoted where the name needs it
 */
char *
cachet_address_format (const char *name,
                       const char *address)
{
  InternetAddress *mailbox;
  char *formatted;

  g_return_val_if_fail (address != NULL, NULL);

  if (name == NULL || *name == '\0')
    return g_strdup (address);
  cachet_mime_init ();
  mailbox = internet_address_mailbox_new (name, address);
  formatted = internet_address_to_string (mailbox, NULL, FALSE);
  g_object_unref (mailbox);

  return formatted;
}

/**
 * cachet_address_equal:
 *
 * Compares two addr-specs as mail systems do in practice: without regard to
 * case, since no real server tells "Alice" from "alice".
 *
 * Returns: %TRUE when @a and @b reach the same mailbox
 */
gboolean
cachet_address_equal (const char *a,
                      const char *b)
{
  g_autofree char *folded_a = NULL;
  g_autofree char *folded_b = NULL;

  if (a == NULL || b == NULL || !g_utf8_validate (a, -1, NULL) || !g_utf8_validate (b, -1, NULL))
    return FALSE;
  folded_a = g_utf8_casefold (a, -1);
  folded_b = g_utf8_casefold (b, -1);
  return g_str_equal (folded_a, folded_b);
}
