/* cachet-mime.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gmime/gmime.h>

#include "cachet-gmime-autocleanups.h"

G_BEGIN_DECLS

#define CACHET_MIME_ERROR (cachet_mime_error_quark ())

/**
 * CachetMimeError:
 * @CACHET_MIME_ERROR_INVALID: the bytes hold nothing that can be read as a
 *   message (empty input, no header and no body).
 *
 * Errors of the MIME layer. Malformed but readable input is not an error: it
 * is parsed as well as possible and its oddities are reported as
 * #CachetMimeIssues.
 */
typedef enum
{
  CACHET_MIME_ERROR_INVALID,
} CachetMimeError;

/**
 * CachetMimeIssues:
 * @CACHET_MIME_ISSUE_NONE: nothing suspicious was seen.
 * @CACHET_MIME_ISSUE_INVALID_HEADER_NAME: a header line with an invalid name
 *   was skipped (GMIME_CRIT_INVALID_HEADER_NAME).
 * @CACHET_MIME_ISSUE_CONFLICTING_HEADER: a header that must appear once
 *   appears with different values, e.g. two From: (GMIME_CRIT_CONFLICTING_HEADER).
 * @CACHET_MIME_ISSUE_CONFLICTING_PARAMETER: a header parameter appears twice with
 *   different values, e.g. two boundaries (GMIME_CRIT_CONFLICTING_PARAMETER).
 * @CACHET_MIME_ISSUE_MULTIPART_WITHOUT_BOUNDARY: a multipart has no boundary
 *   (GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY).
 * @CACHET_MIME_ISSUE_NESTING_OVERFLOW: GMime itself stopped descending
 *   (GMIME_CRIT_NESTING_OVERFLOW).
 * @CACHET_MIME_ISSUE_PART_WITHOUT_HEADERS_OR_CONTENT: a part has neither
 *   headers nor content (GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT).
 * @CACHET_MIME_ISSUE_INVALID_ADDRESS_LIST: an address list could not be fully
 *   parsed (GMIME_WARN_INVALID_ADDRESS_LIST): on From or Sender it can hide a
 *   second identity.
 * @CACHET_MIME_ISSUE_NUL_IN_HEADERS: the header block contains a NUL byte,
 *   which GMime truncates at and other software may not.
 * @CACHET_MIME_ISSUE_TOO_DEEP: the part tree is deeper than
 *   %CACHET_MIME_MAX_DEPTH; deeper parts were not looked at.
 * @CACHET_MIME_ISSUE_TOO_MANY_PARTS: the part tree has more than
 *   %CACHET_MIME_MAX_PARTS parts; the rest were not looked at.
 *
 * Things that make a message look tampered with or ambiguous: different
 * software may read such a message differently, so the user interface must
 * never show a security verdict for it without a warning. These are hints;
 * the verdict belongs to the S/MIME layer.
 */
typedef enum /*< flags >*/
{
  CACHET_MIME_ISSUE_NONE                            = 0,
  CACHET_MIME_ISSUE_INVALID_HEADER_NAME             = 1 << 0,
  CACHET_MIME_ISSUE_CONFLICTING_HEADER              = 1 << 1,
  CACHET_MIME_ISSUE_CONFLICTING_PARAMETER           = 1 << 2,
  CACHET_MIME_ISSUE_MULTIPART_WITHOUT_BOUNDARY      = 1 << 3,
  CACHET_MIME_ISSUE_NESTING_OVERFLOW                = 1 << 4,
  CACHET_MIME_ISSUE_PART_WITHOUT_HEADERS_OR_CONTENT = 1 << 5,
  CACHET_MIME_ISSUE_INVALID_ADDRESS_LIST            = 1 << 6,
  CACHET_MIME_ISSUE_NUL_IN_HEADERS                  = 1 << 7,
  CACHET_MIME_ISSUE_TOO_DEEP                        = 1 << 8,
  CACHET_MIME_ISSUE_TOO_MANY_PARTS                  = 1 << 9,
} CachetMimeIssues;

/**
 * CACHET_MIME_MAX_DEPTH:
 *
 * How deep cachet_mime_walk() descends: the root part is at depth 0. GMime's
 * own cap is 1024, far more than any real message needs.
 */
#define CACHET_MIME_MAX_DEPTH 32

/**
 * CACHET_MIME_MAX_PARTS:
 *
 * How many parts cachet_mime_walk() visits at most.
 */
#define CACHET_MIME_MAX_PARTS 1000

/**
 * CachetMimeWalkAction:
 * @CACHET_MIME_WALK_CONTINUE: go on, into the children of this part.
 * @CACHET_MIME_WALK_SKIP_CHILDREN: go on, but not into this part's children.
 * @CACHET_MIME_WALK_STOP: stop the walk.
 *
 * What a #CachetMimeWalkFunc asks the walk to do next.
 */
typedef enum
{
  CACHET_MIME_WALK_CONTINUE,
  CACHET_MIME_WALK_SKIP_CHILDREN,
  CACHET_MIME_WALK_STOP,
} CachetMimeWalkAction;

/**
 * CachetMimeWalkFunc:
 * @part: (transfer none): the part being visited.
 * @parent: (transfer none) (nullable): its parent: a #GMimeMultipart, a
 *   #GMimeMessagePart (for the body of an attached message), or %NULL for the
 *   root.
 * @index: the position of @part among its parent's children.
 * @depth: 0 for the root.
 * @user_data: the data given to cachet_mime_walk().
 *
 * Called for each part, parents before children, in document order. It must
 * not change the tree.
 *
 * Returns: what to do next.
 */
typedef CachetMimeWalkAction (*CachetMimeWalkFunc) (GMimeObject *part,
                                                    GMimeObject *parent,
                                                    guint        index,
                                                    guint        depth,
                                                    gpointer     user_data);

GQuark            cachet_mime_error_quark        (void);

void              cachet_mime_init               (void);

GMimeMessage     *cachet_mime_parse_message      (GBytes             *raw,
                                                  GError            **error);
CachetMimeIssues  cachet_mime_message_get_issues (GMimeMessage       *message);

GMimeObject      *cachet_mime_find_part          (GMimeObject        *root,
                                                  guint               index);
char             *cachet_mime_guess_content_type (const char         *file_name,
                                                  GBytes             *data);
CachetMimeIssues  cachet_mime_walk               (GMimeObject        *root,
                                                  CachetMimeWalkFunc  func,
                                                  gpointer            user_data);

G_END_DECLS
