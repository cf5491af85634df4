/* cachet-imap-session-results.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cachet-imap-session-private.h"

/* The results the session hands out. The session builds them with the
 * private setters of cachet-imap-session-private.h while responses arrive;
 * once handed out they are not changed any more. */

struct _CachetImapFetchResult
{
  gatomicrefcount       ref_count;
  CachetImapFetchItems  items;
  guint32               uid;
  guint32               sequence;
  char                **flags;
  guint64               modseq;
  GDateTime            *internaldate;
  guint64               size;
  GBytes               *body;
};

struct _CachetImapSelectResult
{
  gatomicrefcount   ref_count;
  char             *mailbox;
  gboolean          read_only;
  guint32           uidvalidity;
  guint32           uidnext;
  guint32           exists;
  guint64           highest_modseq;
  char            **flags;
  char            **permanent_flags;
  GArray           *vanished;
  GPtrArray        *changed;
};

struct _CachetImapCopyUid
{
  gatomicrefcount  ref_count;
  guint32          uidvalidity;
  GArray          *source;
  GArray          *destination;
};

G_DEFINE_BOXED_TYPE (CachetImapFetchResult, cachet_imap_fetch_result,
                     cachet_imap_fetch_result_ref, cachet_imap_fetch_result_unref)
G_DEFINE_BOXED_TYPE (CachetImapSelectResult, cachet_imap_select_result,
                     cachet_imap_select_result_ref, cachet_imap_select_result_unref)
G_DEFINE_BOXED_TYPE (CachetImapCopyUid, cachet_imap_copy_uid,
                     cachet_imap_copy_uid_ref, cachet_imap_copy_uid_unref)

static const char * const no_flags[] = { NULL };

/* Fetch results ----------------------------------------------------------- */

CachetImapFetchResult *
_cachet_imap_fetch_result_new (guint32 uid)
{
  CachetImapFetchResult *self = g_new0 (CachetImapFetchResult, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->uid = uid;
  return self;
}

void
_cachet_imap_fetch_result_set_sequence (CachetImapFetchResult *self,
                                        guint32                sequence)
{
  self->sequence = sequence;
}

void
_cachet_imap_fetch_result_take_flags (CachetImapFetchResult  *self,
                                      char                  **flags)
{
  g_strfreev (self->flags);
  self->flags = flags;
  self->items |= CACHET_IMAP_FETCH_FLAGS;
}

void
_cachet_imap_fetch_result_set_modseq (CachetImapFetchResult *self,
                                      guint64                modseq)
{
  self->modseq = modseq;
  self->items |= CACHET_IMAP_FETCH_MODSEQ;
}

void
_cachet_imap_fetch_result_take_internaldate (CachetImapFetchResult *self,
                                             GDateTime             *internaldate)
{
  g_clear_pointer (&self->internaldate, g_date_time_unref);
  self->internaldate = internaldate;
  self->items |= CACHET_IMAP_FETCH_INTERNALDATE;
}

void
_cachet_imap_fetch_result_set_size (CachetImapFetchResult *self,
                                    guint64                size)
{
  self->size = size;
  self->items |= CACHET_IMAP_FETCH_SIZE;
}

void
_cachet_imap_fetch_result_take_body (CachetImapFetchResult *self,
                                     GBytes                *body)
{
  g_clear_pointer (&self->body, g_bytes_unref);
  self->body = body;
  self->items |= CACHET_IMAP_FETCH_BODY;
}

/* Adds what one FETCH response says of the message: servers may split a
 * message's items over several responses. @body_key is the canonical key of
 * the body section asked for (see cachet_imap_value_get_section_key()), or
 * NULL. */
void
_cachet_imap_fetch_result_merge_response (CachetImapFetchResult *self,
                                          CachetImapResponse    *response,
                                          const char            *body_key)
{
  const CachetImapValue *value;
  guint64 number;

  if (cachet_imap_response_get_number (response, &number))
    self->sequence = (guint32) number;

  if (cachet_imap_response_get_fetch_attribute (response, "FLAGS") != NULL)
    _cachet_imap_fetch_result_take_flags (self, cachet_imap_response_dup_flags (response));
  if (cachet_imap_response_get_fetch_number (response, "MODSEQ", &number))
    _cachet_imap_fetch_result_set_modseq (self, number);
  if (cachet_imap_response_get_fetch_number (response, "RFC822.SIZE", &number))
    _cachet_imap_fetch_result_set_size (self, number);

  value = cachet_imap_response_get_fetch_attribute (response, "INTERNALDATE");
  if (value != NULL)
    {
      /* Checked by the parser: a quoted string. A date that does not parse
       * is left out rather than guessed. */
      GDateTime *date = _cachet_imap_parse_date_time (cachet_imap_value_get_string (value, NULL));

      if (date != NULL)
        _cachet_imap_fetch_result_take_internaldate (self, date);
    }

  value = body_key != NULL ? cachet_imap_response_get_fetch_attribute (response, body_key) : NULL;
  if (value != NULL)
    {
      /* The literal itself, not a copy: the response is freed soon after. */
      _cachet_imap_fetch_result_take_body (self, cachet_imap_value_dup_bytes (value));
    }
}

CachetImapFetchResult *
_cachet_imap_fetch_result_new_from_response (CachetImapResponse *response,
                                             const char         *body_key,
                                             guint32             uid)
{
  CachetImapFetchResult *self = _cachet_imap_fetch_result_new (uid);

  _cachet_imap_fetch_result_merge_response (self, response, body_key);
  return self;
}

CachetImapFetchResult *
cachet_imap_fetch_result_ref (CachetImapFetchResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
cachet_imap_fetch_result_unref (CachetImapFetchResult *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_strfreev (self->flags);
  g_clear_pointer (&self->internaldate, g_date_time_unref);
  g_clear_pointer (&self->body, g_bytes_unref);
  g_free (self);
}

/**
 * cachet_imap_fetch_result_get_items:
 *
 * Returns: which items the server sent; the others read as 0 or %NULL
 */
CachetImapFetchItems
cachet_imap_fetch_result_get_items (CachetImapFetchResult *self)
{
  g_return_val_if_fail (self != NULL, CACHET_IMAP_FETCH_UID);

  return self->items;
}

guint32
cachet_imap_fetch_result_get_uid (CachetImapFetchResult *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->uid;
}

/**
 * cachet_imap_fetch_result_get_sequence:
 *
 * Returns: the message sequence number the server gave with the result; it
 *   is only valid until the next expunge
 */
guint32
cachet_imap_fetch_result_get_sequence (CachetImapFetchResult *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->sequence;
}

/**
 * cachet_imap_fetch_result_get_flags:
 *
 * Returns: (transfer none) (array zero-terminated=1): the flags and keywords
 *   as the server spelled them; empty if they were not fetched
 */
const char * const *
cachet_imap_fetch_result_get_flags (CachetImapFetchResult *self)
{
  g_return_val_if_fail (self != NULL, no_flags);

  return self->flags != NULL ? (const char * const *) self->flags : no_flags;
}

/**
 * cachet_imap_fetch_result_has_flag:
 * @flag: a flag or keyword, such as `\Seen`; compared without regard to case
 *
 * Returns: whether the message has @flag
 */
gboolean
cachet_imap_fetch_result_has_flag (CachetImapFetchResult *self,
                                   const char            *flag)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (flag != NULL, FALSE);

  for (gsize i = 0; self->flags != NULL && self->flags[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (self->flags[i], flag) == 0)
        return TRUE;
    }
  return FALSE;
}

/**
 * cachet_imap_fetch_result_get_modseq:
 *
 * Returns: the message's mod-sequence, 0 if not fetched or not kept
 */
guint64
cachet_imap_fetch_result_get_modseq (CachetImapFetchResult *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->modseq;
}

/**
 * cachet_imap_fetch_result_get_internaldate:
 *
 * Returns: (transfer none) (nullable): when the server received the message
 */
GDateTime *
cachet_imap_fetch_result_get_internaldate (CachetImapFetchResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->internaldate;
}

/**
 * cachet_imap_fetch_result_get_size:
 *
 * Returns: RFC822.SIZE, the size of the message in bytes as the server
 *   counts it, or 0 if not fetched
 */
guint64
cachet_imap_fetch_result_get_size (CachetImapFetchResult *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->size;
}

/**
 * cachet_imap_fetch_result_get_body:
 *
 * Returns: (transfer none) (nullable): the body section, exactly as
 *   received; %NULL if not fetched or if the server sent NIL
 */
GBytes *
cachet_imap_fetch_result_get_body (CachetImapFetchResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->body;
}

/* Select results ---------------------------------------------------------- */

CachetImapSelectResult *
_cachet_imap_select_result_new (const char *mailbox,
                                gboolean    read_only)
{
  CachetImapSelectResult *self = g_new0 (CachetImapSelectResult, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->mailbox = g_strdup (mailbox);
  self->read_only = read_only;
  self->vanished = g_array_new (FALSE, FALSE, sizeof (CachetImapRange));
  self->changed = g_ptr_array_new_with_free_func ((GDestroyNotify) cachet_imap_fetch_result_unref);
  return self;
}

void
_cachet_imap_select_result_set_state (CachetImapSelectResult  *self,
                                      gboolean                 read_only,
                                      guint32                  uidvalidity,
                                      guint32                  uidnext,
                                      guint32                  exists,
                                      guint64                  highest_modseq,
                                      const char * const      *flags,
                                      const char * const      *permanent_flags)
{
  self->read_only = read_only;
  self->uidvalidity = uidvalidity;
  self->uidnext = uidnext;
  self->exists = exists;
  self->highest_modseq = highest_modseq;
  g_strfreev (self->flags);
  self->flags = g_strdupv ((char **) (flags != NULL ? flags : no_flags));
  g_strfreev (self->permanent_flags);
  self->permanent_flags = g_strdupv ((char **) (permanent_flags != NULL ? permanent_flags
                                                                        : no_flags));
}

GArray *
_cachet_imap_select_result_get_vanished_array (CachetImapSelectResult *self)
{
  return self->vanished;
}

GPtrArray *
_cachet_imap_select_result_get_changed_array (CachetImapSelectResult *self)
{
  return self->changed;
}

CachetImapSelectResult *
cachet_imap_select_result_ref (CachetImapSelectResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
cachet_imap_select_result_unref (CachetImapSelectResult *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->mailbox);
  g_strfreev (self->flags);
  g_strfreev (self->permanent_flags);
  g_array_unref (self->vanished);
  g_ptr_array_unref (self->changed);
  g_free (self);
}

/**
 * cachet_imap_select_result_get_mailbox:
 *
 * Returns: the name of the mailbox, in UTF-8, as given to select or examine
 */
const char *
cachet_imap_select_result_get_mailbox (CachetImapSelectResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->mailbox;
}

/**
 * cachet_imap_select_result_is_read_only:
 *
 * Returns: %TRUE if the mailbox was examined, or selected but the server
 *   only grants read access ([READ-ONLY])
 */
gboolean
cachet_imap_select_result_is_read_only (CachetImapSelectResult *self)
{
  g_return_val_if_fail (self != NULL, TRUE);

  return self->read_only;
}

/**
 * cachet_imap_select_result_get_uidvalidity:
 *
 * Returns: the mailbox's UIDVALIDITY; if it differs from what the client
 *   knew, every UID it kept for this mailbox is void (and the server ignored
 *   the QRESYNC parameters)
 */
guint32
cachet_imap_select_result_get_uidvalidity (CachetImapSelectResult *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->uidvalidity;
}

/**
 * cachet_imap_select_result_get_uidnext:
 *
 * Returns: the UID the next message will get, 0 if the server did not say
 */
guint32
cachet_imap_select_result_get_uidnext (CachetImapSelectResult *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->uidnext;
}

guint32
cachet_imap_select_result_get_exists (CachetImapSelectResult *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->exists;
}

/**
 * cachet_imap_select_result_get_highest_modseq:
 *
 * Returns: the mailbox's HIGHESTMODSEQ, or 0 without CONDSTORE or when the
 *   mailbox keeps no mod-sequences ([NOMODSEQ])
 */
guint64
cachet_imap_select_result_get_highest_modseq (CachetImapSelectResult *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->highest_modseq;
}

/**
 * cachet_imap_select_result_get_flags:
 *
 * Returns: (transfer none) (array zero-terminated=1): the flags defined in
 *   the mailbox
 */
const char * const *
cachet_imap_select_result_get_flags (CachetImapSelectResult *self)
{
  g_return_val_if_fail (self != NULL, no_flags);

  return self->flags != NULL ? (const char * const *) self->flags : no_flags;
}

/**
 * cachet_imap_select_result_get_permanent_flags:
 *
 * Returns: (transfer none) (array zero-terminated=1): the flags that can be
 *   stored for good; `\*` means that new keywords can be created
 */
const char * const *
cachet_imap_select_result_get_permanent_flags (CachetImapSelectResult *self)
{
  g_return_val_if_fail (self != NULL, no_flags);

  return self->permanent_flags != NULL ? (const char * const *) self->permanent_flags : no_flags;
}

/**
 * cachet_imap_select_result_get_vanished:
 *
 * Returns: (transfer none) (element-type CachetImapRange): with QRESYNC, the
 *   UIDs expunged since the mod-sequence the client knew (VANISHED
 *   (EARLIER)); empty otherwise
 */
GArray *
cachet_imap_select_result_get_vanished (CachetImapSelectResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->vanished;
}

/**
 * cachet_imap_select_result_get_changed:
 *
 * Returns: (transfer none) (element-type CachetImapFetchResult): with
 *   QRESYNC, the messages whose flags changed since the mod-sequence the
 *   client knew, with their UID, flags and mod-sequence; empty otherwise
 */
GPtrArray *
cachet_imap_select_result_get_changed (CachetImapSelectResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->changed;
}

/* COPYUID ------------------------------------------------------------------ */

static GArray *
expand_ranges (const GArray *ranges,
               guint         limit)
{
  GArray *uids = g_array_new (FALSE, FALSE, sizeof (guint32));

  for (guint i = 0; i < ranges->len; i++)
    {
      const CachetImapRange *range = &g_array_index (ranges, CachetImapRange, i);

      if ((guint64) uids->len + range->last - range->first + 1 > limit)
        {
          g_array_unref (uids);
          return NULL;
        }
      for (guint64 uid = range->first; uid <= range->last; uid++)
        {
          guint32 value = (guint32) uid;

          g_array_append_val (uids, value);
        }
    }
  return uids;
}

/* Takes the three arguments of a COPYUID response code. Returns NULL if the
 * sets do not have as many UIDs each, or more than @limit: the command only
 * copied that many messages. */
CachetImapCopyUid *
_cachet_imap_copy_uid_new (guint32       uidvalidity,
                           const GArray *source,
                           const GArray *destination,
                           guint         limit)
{
  g_autoptr(GArray) source_uids = expand_ranges (source, limit);
  g_autoptr(GArray) destination_uids = expand_ranges (destination, limit);
  CachetImapCopyUid *self;

  if (source_uids == NULL || destination_uids == NULL ||
      source_uids->len != destination_uids->len)
    return NULL;

  self = g_new0 (CachetImapCopyUid, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->uidvalidity = uidvalidity;
  self->source = g_steal_pointer (&source_uids);
  self->destination = g_steal_pointer (&destination_uids);
  return self;
}

CachetImapCopyUid *
cachet_imap_copy_uid_ref (CachetImapCopyUid *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
cachet_imap_copy_uid_unref (CachetImapCopyUid *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_array_unref (self->source);
  g_array_unref (self->destination);
  g_free (self);
}

/**
 * cachet_imap_copy_uid_get_uidvalidity:
 *
 * Returns: the UIDVALIDITY of the destination mailbox
 */
guint32
cachet_imap_copy_uid_get_uidvalidity (CachetImapCopyUid *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->uidvalidity;
}

/**
 * cachet_imap_copy_uid_get_source_uids:
 *
 * Returns: (transfer none) (element-type guint32): the UIDs of the messages
 *   copied, in the order of cachet_imap_copy_uid_get_destination_uids()
 */
GArray *
cachet_imap_copy_uid_get_source_uids (CachetImapCopyUid *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->source;
}

/**
 * cachet_imap_copy_uid_get_destination_uids:
 *
 * Returns: (transfer none) (element-type guint32): the UIDs of the copies in
 *   the destination mailbox
 */
GArray *
cachet_imap_copy_uid_get_destination_uids (CachetImapCopyUid *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->destination;
}

/* Dates -------------------------------------------------------------------- */

static const char * const months[] = {
  "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

static gboolean
read_digits (const char **p,
             guint        count,
             gint        *value)
{
  *value = 0;
  for (guint i = 0; i < count; i++)
    {
      if (!g_ascii_isdigit ((*p)[i]))
        return FALSE;
      *value = *value * 10 + ((*p)[i] - '0');
    }
  *p += count;
  return TRUE;
}

/**
 * _cachet_imap_parse_date_time:
 * @text: an INTERNALDATE: `"17-Jul-1996 02:44:25 -0700"`, the day possibly
 *   padded with a space
 *
 * Returns: (transfer full) (nullable): the date, or %NULL if @text is not
 *   exactly of that form
 */
GDateTime *
_cachet_imap_parse_date_time (const char *text)
{
  g_autoptr(GTimeZone) zone = NULL;
  const char *p = text;
  gint day, month = -1, year, hour, minute, second, offset;
  char sign;
  char zone_name[8];

  if (strlen (text) != 26 && strlen (text) != 25)
    return NULL;
  if (*p == ' ')
    p++;
  if (!read_digits (&p, g_ascii_isdigit (p[1]) ? 2 : 1, &day) || *p++ != '-')
    return NULL;
  for (gint i = 0; i < 12; i++)
    {
      if (g_ascii_strncasecmp (p, months[i], 3) == 0)
        month = i + 1;
    }
  if (month < 0)
    return NULL;
  p += 3;
  if (*p++ != '-' || !read_digits (&p, 4, &year) || *p++ != ' ' ||
      !read_digits (&p, 2, &hour) || *p++ != ':' ||
      !read_digits (&p, 2, &minute) || *p++ != ':' ||
      !read_digits (&p, 2, &second) || *p++ != ' ')
    return NULL;
  sign = *p++;
  if ((sign != '+' && sign != '-') || !read_digits (&p, 4, &offset) || *p != '\0')
    return NULL;
  if (offset / 100 > 23 || offset % 100 > 59)
    return NULL;

  g_snprintf (zone_name, sizeof zone_name, "%c%02d:%02d", sign, offset / 100, offset % 100);
  zone = g_time_zone_new_identifier (zone_name);
  if (zone == NULL)
    return NULL;
  /* g_date_time_new() checks the ranges of the fields. */
  return g_date_time_new (zone, year, month, day, hour, minute, second);
}

/**
 * _cachet_imap_format_date_time:
 * @date_time: a date
 *
 * Returns: (transfer full): the date as APPEND wants it,
 *   `17-Jul-1996 02:44:25 -0700`, with English month names whatever the locale
 */
char *
_cachet_imap_format_date_time (GDateTime *date_time)
{
  GTimeSpan utc_offset = g_date_time_get_utc_offset (date_time);
  gint64 minutes = ABS (utc_offset) / G_TIME_SPAN_MINUTE;

  return g_strdup_printf ("%02d-%s-%04d %02d:%02d:%02d %c%02d%02d",
                          g_date_time_get_day_of_month (date_time),
                          months[g_date_time_get_month (date_time) - 1],
                          g_date_time_get_year (date_time),
                          g_date_time_get_hour (date_time),
                          g_date_time_get_minute (date_time),
                          g_date_time_get_second (date_time),
                          utc_offset < 0 ? '-' : '+',
                          (int) (minutes / 60), (int) (minutes % 60));
}
