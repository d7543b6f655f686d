/*
 * The libsrtp 3 functions the mediasoup worker calls, implemented over Debian's libsrtp2
 * (see ../include/srtp.h for why). This is the only file that sees both APIs: here the plain
 * srtp_* names are libsrtp2's, and the srtp3compat_* names are the layer's own.
 */
#include <srtp2/srtp.h>

#define SRTP3COMPAT_IMPLEMENTATION
#include "../include/srtp.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The layer passes error codes and profile ids through unchanged, which is only right while
 * the two numberings agree. Check that at compile time rather than trust it. */
_Static_assert((int)srtp_err_status_pkt_idx_adv == (int)srtp3compat_srtp_err_status_pkt_idx_adv,
               "libsrtp2 error codes no longer line up with libsrtp 3's");
_Static_assert((int)srtp_err_status_auth_fail == (int)srtp3compat_srtp_err_status_auth_fail,
               "libsrtp2 error codes no longer line up with libsrtp 3's");
_Static_assert((int)srtp_profile_aead_aes_256_gcm ==
                   (int)srtp3compat_srtp_profile_aead_aes_256_gcm,
               "libsrtp2 profile ids no longer line up with libsrtp 3's");
_Static_assert((int)ssrc_any_outbound == (int)srtp3compat_ssrc_any_outbound,
               "libsrtp2 SSRC types no longer line up with libsrtp 3's");

/* What an SRTCP packet gains besides the tag: the E flag + SRTCP index word. */
#define SRTCP_INDEX_LEN 4

/* A libsrtp 3 policy object: collects what the setters are given; srtp_create() turns it into
 * the libsrtp2 policy struct. Key and salt are kept as given, since the profile (which fixes
 * their expected lengths) may be set before or after the key. */
struct srtp3compat_policy {
    srtp3compat_srtp_ssrc_t ssrc;
    srtp3compat_srtp_profile_t profile;
    int has_key;
    uint8_t key[SRTP_MAX_KEY_LEN];
    size_t key_len;
    uint8_t salt[SRTP_MAX_KEY_LEN];
    size_t salt_len;
    int allow_repeat_tx;
    size_t window_size;
};

static srtp3compat_srtp_err_status_t from_v2(srtp_err_status_t status)
{
    return (srtp3compat_srtp_err_status_t)status;
}

static srtp_t to_v2_session(srtp3compat_srtp_t session)
{
    return (srtp_t)session;
}

/* ---- library lifetime -------------------------------------------------------------------- */

srtp3compat_srtp_err_status_t srtp3compat_srtp_init(void)
{
    return from_v2(srtp_init());
}

srtp3compat_srtp_err_status_t srtp3compat_srtp_shutdown(void)
{
    return from_v2(srtp_shutdown());
}

const char *srtp3compat_srtp_get_version_string(void)
{
    /* The worker logs this at startup: say plainly which library is really doing the work.
     * Built once; the worker calls this before any other thread uses libsrtp. */
    static char version[128];

    if (version[0] == '\0') {
        snprintf(version, sizeof(version), "%s (via libsrtp3 compatibility layer)",
                 srtp_get_version_string());
    }

    return version;
}

/* ---- events -------------------------------------------------------------------------------- */

static srtp3compat_srtp_event_handler_func_t *user_event_handler;

/* libsrtp2 calls this with its own event struct; hand the worker the libsrtp 3 shaped one. */
static void forward_event(srtp_event_data_t *data)
{
    srtp3compat_srtp_event_data_t event;

    if (user_event_handler == NULL || data == NULL) {
        return;
    }

    event.session = (srtp3compat_srtp_t)data->session;
    event.ssrc = data->ssrc;

    switch (data->event) {
    case event_ssrc_collision:
        event.event = srtp3compat_event_ssrc_collision;
        break;
    case event_key_soft_limit:
        event.event = srtp3compat_event_key_soft_limit;
        break;
    case event_key_hard_limit:
        event.event = srtp3compat_event_key_hard_limit;
        break;
    case event_packet_index_limit:
        event.event = srtp3compat_event_packet_index_limit;
        break;
    default:
        return;
    }

    user_event_handler(&event);
}

srtp3compat_srtp_err_status_t srtp3compat_srtp_install_event_handler(
    srtp3compat_srtp_event_handler_func_t func)
{
    user_event_handler = func;

    return from_v2(srtp_install_event_handler(func != NULL ? forward_event : NULL));
}

/* ---- profiles ------------------------------------------------------------------------------ */

unsigned int srtp3compat_srtp_profile_get_master_key_length(srtp3compat_srtp_profile_t profile)
{
    return srtp_profile_get_master_key_length((srtp_profile_t)profile);
}

unsigned int srtp3compat_srtp_profile_get_master_salt_length(srtp3compat_srtp_profile_t profile)
{
    return srtp_profile_get_master_salt_length((srtp_profile_t)profile);
}

/* ---- policies ------------------------------------------------------------------------------ */

srtp3compat_srtp_err_status_t srtp3compat_srtp_policy_create(srtp3compat_srtp_policy_t *policy)
{
    if (policy == NULL) {
        return srtp3compat_srtp_err_status_bad_param;
    }

    *policy = calloc(1, sizeof(**policy));

    if (*policy == NULL) {
        return srtp3compat_srtp_err_status_alloc_fail;
    }

    return srtp3compat_srtp_err_status_ok;
}

void srtp3compat_srtp_policy_destroy(srtp3compat_srtp_policy_t policy)
{
    if (policy != NULL) {
        /* The policy held key material: wipe it before handing the memory back. */
        memset(policy, 0, sizeof(*policy));
        free(policy);
    }
}

srtp3compat_srtp_err_status_t srtp3compat_srtp_policy_set_ssrc(srtp3compat_srtp_policy_t policy,
                                                               srtp3compat_srtp_ssrc_t ssrc)
{
    if (policy == NULL) {
        return srtp3compat_srtp_err_status_bad_param;
    }

    policy->ssrc = ssrc;

    return srtp3compat_srtp_err_status_ok;
}

srtp3compat_srtp_err_status_t srtp3compat_srtp_policy_set_profile(
    srtp3compat_srtp_policy_t policy, srtp3compat_srtp_profile_t profile)
{
    srtp_crypto_policy_t probe;

    if (policy == NULL) {
        return srtp3compat_srtp_err_status_bad_param;
    }

    /* Reject profiles libsrtp2 does not know now, as libsrtp 3 does, not at srtp_create(). */
    if (srtp_crypto_policy_set_from_profile_for_rtp(&probe, (srtp_profile_t)profile) !=
        srtp_err_status_ok) {
        return srtp3compat_srtp_err_status_bad_param;
    }

    policy->profile = profile;

    return srtp3compat_srtp_err_status_ok;
}

srtp3compat_srtp_err_status_t srtp3compat_srtp_policy_add_key(srtp3compat_srtp_policy_t policy,
                                                              const uint8_t *key, size_t key_len,
                                                              const uint8_t *salt, size_t salt_len,
                                                              const uint8_t *mki, size_t mki_len)
{
    (void)mki;

    /* Single key, no MKI: all the worker needs (it passes mki NULL / 0). */
    if (policy == NULL || key == NULL || (salt == NULL && salt_len != 0) || mki_len != 0 ||
        policy->has_key || key_len == 0 || key_len > sizeof(policy->key) ||
        salt_len > sizeof(policy->salt)) {
        return srtp3compat_srtp_err_status_bad_param;
    }

    memcpy(policy->key, key, key_len);
    policy->key_len = key_len;

    if (salt_len != 0) {
        memcpy(policy->salt, salt, salt_len);
    }

    policy->salt_len = salt_len;
    policy->has_key = 1;

    return srtp3compat_srtp_err_status_ok;
}

srtp3compat_srtp_err_status_t srtp3compat_srtp_policy_set_allow_repeat_tx(
    srtp3compat_srtp_policy_t policy, int allow)
{
    if (policy == NULL) {
        return srtp3compat_srtp_err_status_bad_param;
    }

    policy->allow_repeat_tx = allow ? 1 : 0;

    return srtp3compat_srtp_err_status_ok;
}

srtp3compat_srtp_err_status_t srtp3compat_srtp_policy_set_window_size(
    srtp3compat_srtp_policy_t policy, size_t window_size)
{
    /* libsrtp2 accepts 0 (its default, 128) or 64..32767; check here so the caller learns of a
     * bad value from this call, as with libsrtp 3. */
    if (policy == NULL || (window_size != 0 && (window_size < 64 || window_size >= 0x8000))) {
        return srtp3compat_srtp_err_status_bad_param;
    }

    policy->window_size = window_size;

    return srtp3compat_srtp_err_status_ok;
}

/* ---- sessions ------------------------------------------------------------------------------ */

srtp3compat_srtp_err_status_t srtp3compat_srtp_create(srtp3compat_srtp_t *session,
                                                      const srtp3compat_srtp_policy_t policy)
{
    srtp_policy_t v2;
    /* libsrtp2 wants the master key and salt as one buffer, key first. */
    uint8_t key_and_salt[2 * SRTP_MAX_KEY_LEN];
    srtp_t created = NULL;
    srtp_err_status_t status;

    if (session == NULL) {
        return srtp3compat_srtp_err_status_bad_param;
    }

    /* libsrtp 3 allows a session without streams; so does libsrtp2 with a NULL policy. */
    if (policy == NULL) {
        status = srtp_create(&created, NULL);
        *session = (srtp3compat_srtp_t)created;

        return from_v2(status);
    }

    /* libsrtp2 reads as many key bytes as the profile's cipher needs, whatever was given:
     * insist on the exact lengths instead of reading past (or short of) the caller's key. */
    if (!policy->has_key ||
        policy->key_len != srtp_profile_get_master_key_length((srtp_profile_t)policy->profile) ||
        policy->salt_len !=
            srtp_profile_get_master_salt_length((srtp_profile_t)policy->profile)) {
        return srtp3compat_srtp_err_status_bad_param;
    }

    memset(&v2, 0, sizeof(v2));

    if (srtp_crypto_policy_set_from_profile_for_rtp(&v2.rtp, (srtp_profile_t)policy->profile) !=
            srtp_err_status_ok ||
        srtp_crypto_policy_set_from_profile_for_rtcp(&v2.rtcp, (srtp_profile_t)policy->profile) !=
            srtp_err_status_ok) {
        return srtp3compat_srtp_err_status_bad_param;
    }

    memcpy(key_and_salt, policy->key, policy->key_len);
    memcpy(key_and_salt + policy->key_len, policy->salt, policy->salt_len);

    v2.ssrc.type = (srtp_ssrc_type_t)policy->ssrc.type;
    v2.ssrc.value = policy->ssrc.value;
    v2.key = key_and_salt;
    v2.window_size = (unsigned long)policy->window_size;
    v2.allow_repeat_tx = policy->allow_repeat_tx;
    v2.next = NULL;

    /* libsrtp2 derives its session keys here and keeps no pointer to key_and_salt. */
    status = srtp_create(&created, &v2);
    memset(key_and_salt, 0, sizeof(key_and_salt));

    *session = (srtp3compat_srtp_t)created;

    return from_v2(status);
}

srtp3compat_srtp_err_status_t srtp3compat_srtp_dealloc(srtp3compat_srtp_t session)
{
    return from_v2(srtp_dealloc(to_v2_session(session)));
}

srtp3compat_srtp_err_status_t srtp3compat_srtp_stream_remove(srtp3compat_srtp_t session,
                                                             uint32_t ssrc)
{
    /* Same meaning, libsrtp2's name; both take the SSRC in network byte order. */
    return from_v2(srtp_remove_stream(to_v2_session(session), ssrc));
}

/* ---- packets ------------------------------------------------------------------------------- */

/* libsrtp2 works in place on one buffer with an int length; libsrtp 3 reads one buffer and
 * writes another, with size_t lengths and an explicit output capacity. Copy the input into the
 * output buffer (if they differ), then let libsrtp2 work there. */
static srtp3compat_srtp_err_status_t stage(const uint8_t *in, size_t in_len, uint8_t *out,
                                           size_t out_capacity, size_t needed)
{
    if (in == NULL || out == NULL || in_len > (size_t)INT_MAX) {
        return srtp3compat_srtp_err_status_bad_param;
    }

    if (out_capacity < needed) {
        return srtp3compat_srtp_err_status_buffer_small;
    }

    if (out != in) {
        memmove(out, in, in_len);
    }

    return srtp3compat_srtp_err_status_ok;
}

srtp3compat_srtp_err_status_t srtp3compat_srtp_protect(srtp3compat_srtp_t session,
                                                       const uint8_t *rtp, size_t rtp_len,
                                                       uint8_t *srtp, size_t *srtp_len,
                                                       size_t mki_index)
{
    srtp3compat_srtp_err_status_t status;
    int len = (int)rtp_len;

    (void)mki_index; /* No MKI support (see srtp3compat_srtp_policy_add_key). */

    if (srtp_len == NULL) {
        return srtp3compat_srtp_err_status_bad_param;
    }

    /* Without MKI, protect appends at most the authentication tag. */
    status = stage(rtp, rtp_len, srtp, *srtp_len, rtp_len + SRTP_MAX_TAG_LEN);

    if (status != srtp3compat_srtp_err_status_ok) {
        return status;
    }

    status = from_v2(srtp_protect(to_v2_session(session), srtp, &len));

    if (status == srtp3compat_srtp_err_status_ok) {
        *srtp_len = (size_t)len;
    }

    return status;
}

srtp3compat_srtp_err_status_t srtp3compat_srtp_unprotect(srtp3compat_srtp_t session,
                                                         const uint8_t *srtp, size_t srtp_len,
                                                         uint8_t *rtp, size_t *rtp_len)
{
    srtp3compat_srtp_err_status_t status;
    int len = (int)srtp_len;

    if (rtp_len == NULL) {
        return srtp3compat_srtp_err_status_bad_param;
    }

    /* Decrypting happens in the output buffer, so it must hold the whole input first. */
    status = stage(srtp, srtp_len, rtp, *rtp_len, srtp_len);

    if (status != srtp3compat_srtp_err_status_ok) {
        return status;
    }

    status = from_v2(srtp_unprotect(to_v2_session(session), rtp, &len));

    if (status == srtp3compat_srtp_err_status_ok) {
        *rtp_len = (size_t)len;
    }

    return status;
}

srtp3compat_srtp_err_status_t srtp3compat_srtp_protect_rtcp(srtp3compat_srtp_t session,
                                                            const uint8_t *rtcp, size_t rtcp_len,
                                                            uint8_t *srtcp, size_t *srtcp_len,
                                                            size_t mki_index)
{
    srtp3compat_srtp_err_status_t status;
    int len = (int)rtcp_len;

    (void)mki_index; /* No MKI support (see srtp3compat_srtp_policy_add_key). */

    if (srtcp_len == NULL) {
        return srtp3compat_srtp_err_status_bad_param;
    }

    /* SRTCP appends the SRTCP index word and the authentication tag. */
    status = stage(rtcp, rtcp_len, srtcp, *srtcp_len, rtcp_len + SRTCP_INDEX_LEN + SRTP_MAX_TAG_LEN);

    if (status != srtp3compat_srtp_err_status_ok) {
        return status;
    }

    status = from_v2(srtp_protect_rtcp(to_v2_session(session), srtcp, &len));

    if (status == srtp3compat_srtp_err_status_ok) {
        *srtcp_len = (size_t)len;
    }

    return status;
}

srtp3compat_srtp_err_status_t srtp3compat_srtp_unprotect_rtcp(srtp3compat_srtp_t session,
                                                              const uint8_t *srtcp,
                                                              size_t srtcp_len, uint8_t *rtcp,
                                                              size_t *rtcp_len)
{
    srtp3compat_srtp_err_status_t status;
    int len = (int)srtcp_len;

    if (rtcp_len == NULL) {
        return srtp3compat_srtp_err_status_bad_param;
    }

    status = stage(srtcp, srtcp_len, rtcp, *rtcp_len, srtcp_len);

    if (status != srtp3compat_srtp_err_status_ok) {
        return status;
    }

    status = from_v2(srtp_unprotect_rtcp(to_v2_session(session), rtcp, &len));

    if (status == srtp3compat_srtp_err_status_ok) {
        *rtcp_len = (size_t)len;
    }

    return status;
}
