/* cachet-maildir.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cachet-store-types.h"

G_BEGIN_DECLS

/**
 * CACHET_MAILDIR_MAX_KEYWORDS:
 *
 * How many distinct keywords one Maildir can carry in its file names (the
 * letters a to z, as Dovecot does). Keywords past that are kept by the index
 * only, and come back from the server after a reindex.
 */
#define CACHET_MAILDIR_MAX_KEYWORDS 26

/**
 * CachetMaildirEntry:
 * @filename: the file name, in cur/ (or new/, for mail delivered by others).
 * @uid: the IMAP UID kept in the name, 0 if it has none.
 * @modseq: the CONDSTORE modification sequence kept in the name, 0 if none.
 * @flags: the system flags of the name.
 * @keywords: (array zero-terminated=1): the keywords of the name, sorted.
 * @internal_date: the IMAP INTERNALDATE, unix seconds (the file's mtime).
 * @size: the size of the message in bytes.
 *
 * One message file, as cachet_maildir_list() finds it.
 */
typedef struct
{
  char               *filename;
  guint32             uid;
  guint64             modseq;
  CachetMessageFlags  flags;
  char              **keywords;
  gint64              internal_date;
  goffset             size;
} CachetMaildirEntry;

#define CACHET_TYPE_MAILDIR (cachet_maildir_get_type ())

G_DECLARE_FINAL_TYPE (CachetMaildir, cachet_maildir, CACHET, MAILDIR, GObject)

CachetMaildir *cachet_maildir_new                (const char          *path);
const char    *cachet_maildir_get_path           (CachetMaildir       *self);
gboolean       cachet_maildir_ensure             (CachetMaildir       *self,
                                                  GError             **error);
char          *cachet_maildir_deliver            (CachetMaildir       *self,
                                                  GBytes              *raw,
                                                  guint32              uid,
                                                  guint64              modseq,
                                                  CachetMessageFlags   flags,
                                                  const char * const  *keywords,
                                                  gint64               internal_date,
                                                  GCancellable        *cancellable,
                                                  GError             **error);
char          *cachet_maildir_deliver_unsynced   (CachetMaildir       *self,
                                                  GBytes              *raw,
                                                  guint32              uid,
                                                  guint64              modseq,
                                                  CachetMessageFlags   flags,
                                                  const char * const  *keywords,
                                                  gint64               internal_date,
                                                  GCancellable        *cancellable,
                                                  GError             **error);
gboolean       cachet_maildir_sync               (CachetMaildir       *self,
                                                  GError             **error);
char          *cachet_maildir_set_flags          (CachetMaildir       *self,
                                                  const char          *filename,
                                                  guint64              modseq,
                                                  CachetMessageFlags   flags,
                                                  const char * const  *keywords,
                                                  GError             **error);
char          *cachet_maildir_locate             (CachetMaildir       *self,
                                                  const char          *filename,
                                                  GError             **error);
GBytes        *cachet_maildir_read               (CachetMaildir       *self,
                                                  const char          *filename,
                                                  GCancellable        *cancellable,
                                                  GError             **error);
GInputStream  *cachet_maildir_open               (CachetMaildir       *self,
                                                  const char          *filename,
                                                  GCancellable        *cancellable,
                                                  GError             **error);
gboolean       cachet_maildir_remove             (CachetMaildir       *self,
                                                  const char          *filename,
                                                  GError             **error);
GPtrArray     *cachet_maildir_list               (CachetMaildir       *self,
                                                  GCancellable        *cancellable,
                                                  GError             **error);
gboolean       cachet_maildir_remove_stale_tmp   (CachetMaildir       *self,
                                                  GError             **error);

char          *cachet_maildir_encode_folder_name (const char          *name);
char          *cachet_maildir_decode_folder_name (const char          *dirname);

void           cachet_maildir_entry_free         (CachetMaildirEntry  *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachetMaildirEntry, cachet_maildir_entry_free)

G_END_DECLS
