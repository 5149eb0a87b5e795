/* ccm-scorm learner runtime: the certificate (CCM.certificate), in #ccm-certificate.
 * The record a learner can print (one A4 page) or download as one HTML file. */
(function (CCM) {
  'use strict';
  var dom = CCM.dom, make = dom.make, byId = dom.byId, clear = dom.clear, longDate = dom.longDate;

  /* certificateView(sess, info) -> {show, hide, click(t), submit(form)}
   * info: {kind: "pathway"|"module", id, title, date (Date), language, organisation {name, logo,
   * logoData}, modules [{title, score, passed}], competencies [titles], back: label} */
  var CERT_CSS = 'body{margin:0;padding:2rem 1rem;font:12pt/1.5 system-ui,Arial,sans-serif;color:#212b32}' +
    '.ccm-cert{max-width:46rem;margin:0 auto;padding:2rem 1rem;text-align:center;border:4px double #005eb8}' +
    '.ccm-cert-logo{max-height:4rem}h1{font-size:1.3rem;font-weight:400;color:#4c6272}.ccm-cert-record{font-size:1.2rem}' +
    '.ccm-cert-name,.ccm-cert-title{display:block;margin:.5rem 0;font-size:1.4rem;font-weight:700}.ccm-cert-name{font-size:2.2rem;color:#003087}' +
    'table{border-collapse:collapse;margin:1rem auto;text-align:left}th,td{padding:.2rem .5rem;border-bottom:1px solid #768692}' +
    'ul{display:inline-block;padding:0;list-style:none;text-align:left}.ccm-cert-small{color:#4c6272}@page{size:A4;margin:12mm}';
  var t = CCM.t;

  function backButton(info) {
    return make('button', { type: 'button', 'class': 'ccm-button ccm-secondary', 'data-action': 'certificate-back', text: info.back });
  }
  function nameForm(value) {
    return make('form', { 'class': 'ccm-name-form', novalidate: true }, [
      make('label', { 'for': 'ccm-learner-name', text: t('certificate.name_label') }),
      make('input', { type: 'text', id: 'ccm-learner-name', autocomplete: 'name', maxlength: '80', value: value || null,
        'aria-describedby': 'ccm-name-error' }),
      make('p', { 'class': 'ccm-error', id: 'ccm-name-error', hidden: true }),
      make('button', { type: 'submit', 'class': 'ccm-button', text: t('certificate.save_name') })]);
  }
  function heading(org) {
    var cert = make('div', { 'class': 'ccm-cert', id: 'ccm-cert' });
    if (org.logo || org.name) {
      var head = make('div', { 'class': 'ccm-cert-head' });
      if (org.logo) head.appendChild(make('img', { 'class': 'ccm-cert-logo', src: org.logo, alt: org.name ? '' : t('certificate.logo') }));
      if (org.name) head.appendChild(make('p', { 'class': 'ccm-cert-org', text: org.name }));
      cert.appendChild(head);
    }
    cert.appendChild(make('h1', { id: 'ccm-certificate-title', tabindex: '-1', text: t('certificate.title') }));
    return cert;
  }
  function cells(tag, texts) { return make('tr', {}, texts.map(function (x, i) { return make(i ? 'td' : tag, { scope: i ? null : tag === 'th' ? 'row' : null, text: x }); })); }
  function moduleTable(info) {
    var head = make('tr', {}, [t('certificate.module'), t('certificate.score'), t('certificate.result')].map(function (x) { return make('th', { scope: 'col', text: x }); }));
    return make('table', { 'class': 'ccm-table ccm-cert-modules' }, [
      make('caption', { text: t(info.kind === 'pathway' ? 'certificate.scores_pathway' : 'certificate.scores_module') }),
      make('thead', {}, [head]),
      make('tbody', {}, info.modules.map(function (m) {
        var none = m.score === null;
        return cells('th', [m.title, none ? t('certificate.no_quiz') : t('certificate.percent', { score: m.score }),
          t(none ? 'certificate.completed' : m.passed ? 'certificate.passed' : 'certificate.failed')]);
      }))]);
  }
  // The record itself, under the heading: the name large, then what was completed and when.
  function record(cert, info, name) {
    // Only a pathway's state keeps the day it was passed; otherwise say when this copy was made.
    var when = { date: longDate(info.date, info.language) };
    cert.appendChild(make('p', { 'class': 'ccm-cert-record' }, [t('certificate.record_that') + ' ',
      make('span', { 'class': 'ccm-cert-name', text: name }), ' ' + (info.kind === 'pathway' ? t('certificate.completed_pathway') : t('certificate.completed_module')) + ' ',
      make('span', { 'class': 'ccm-cert-title', text: '“' + info.title + '”' }),
      ' ' + (info.dated ? t('certificate.on_date', when) : t('certificate.copy_made', when))]));
    if (info.modules.length) cert.appendChild(moduleTable(info));
    if (info.competencies.length) {
      cert.appendChild(make('h2', { text: t('certificate.competencies') }));
      cert.appendChild(make('ul', { 'class': 'ccm-cert-competencies' }, info.competencies.map(function (c) { return make('li', { text: c }); })));
    }
    cert.appendChild(make('p', { 'class': 'ccm-cert-small', text: t('certificate.small_print') }));
  }

  // cv: {sess, info, box, blobUrl}
  function downloadLink(cv, cert, name) {
    var info = cv.info;
    if (!window.Blob || !window.URL || !URL.createObjectURL) return null;
    var copy = cert.cloneNode(true), org = info.organisation || {};
    copy.querySelector('h1').removeAttribute('tabindex');
    var img = copy.querySelector('img');
    if (img) { if (org.logoData) img.setAttribute('src', org.logoData); else img.parentNode.removeChild(img); }
    var esc = make('p', { text: t('certificate.file_title', { name: name, title: info.title }) }).innerHTML;
    var html = '<!DOCTYPE html>\n<html lang="' + (info.language || 'en-GB') + '">\n<head>\n<meta charset="utf-8">\n' +
      '<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>' + esc + '</title>\n<style>' + CERT_CSS +
      '</style>\n</head>\n<body>\n' + copy.outerHTML + '\n</body>\n</html>\n';
    if (cv.blobUrl) URL.revokeObjectURL(cv.blobUrl);
    cv.blobUrl = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
    return make('a', { 'class': 'ccm-button ccm-secondary ccm-download', href: cv.blobUrl, download: 'certificate-' + info.id + '.html',
      text: t('certificate.download') });
  }
  function render(cv, focus) {
    var box = cv.box, info = cv.info, who = cv.sess.name();
    clear(box);
    var cert = heading(info.organisation || {}), h1 = cert.querySelector('h1');
    var actions = make('div', { 'class': 'ccm-cert-actions' });
    if (!who.text) {
      box.appendChild(cert);
      actions.appendChild(make('p', { text: t('certificate.add_name') }));
      actions.appendChild(nameForm(''));
    } else {
      record(cert, info, who.text);
      box.appendChild(cert);
      actions.appendChild(make('button', { type: 'button', 'class': 'ccm-button', 'data-action': 'print', text: t('certificate.print') }));
      var link = downloadLink(cv, cert, who.text);
      if (link) actions.appendChild(link);
      if (who.typed) {
        actions.appendChild(make('details', { 'class': 'ccm-cert-change' },
          [make('summary', { text: t('certificate.change_name') }), nameForm(who.text)]));
      }
    }
    actions.appendChild(backButton(info));
    box.appendChild(actions);
    if (focus) h1.focus();
  }
  function saveName(cv, form) {
    var sess = cv.sess, input = form.querySelector('input'), text = input.value.trim().replace(/\s+/g, ' ');
    if (!text) {
      var err = form.querySelector('.ccm-error');
      err.textContent = t('certificate.name_missing');
      err.hidden = false;
      sess.say('assertive', err.textContent);
      input.focus();
      return;
    }
    sess.keepName(text);
    render(cv, true);
    sess.say('polite', t('certificate.name_saved'));
  }

  function certificateView(sess, info) {
    var cv = { sess: sess, info: info, box: byId('ccm-certificate-body'), blobUrl: null };
    return {
      show: function () {
        document.body.classList.add('ccm-cert-open');
        byId('ccm-certificate').hidden = false;
        document.title = t('certificate.document_title', { title: info.title });
        render(cv, true);
        if (window.scrollTo) window.scrollTo(0, 0);
      },
      hide: function () {
        document.body.classList.remove('ccm-cert-open');
        byId('ccm-certificate').hidden = true;
      },
      click: function (t) {
        if (t.getAttribute('data-action') !== 'print') return false;
        window.print();
        return true;
      },
      submit: function (form) {
        if (!form.classList.contains('ccm-name-form')) return false;
        saveName(cv, form);
        return true;
      }
    };
  }

  function evidenced(list, titles) { // competency titles with status passed or completed, without repeats
    var out = [];
    list.forEach(function (c) {
      var t = titles[c.id] || c.id;
      if ((c.status === 'passed' || c.status === 'completed') && out.indexOf(t) < 0) out.push(t);
    });
    return out;
  }
  function titlesOf(comps) { var m = {}; (comps || []).forEach(function (c) { m[c.id] = c.title; }); return m; }

  CCM.certificate = { view: certificateView, evidenced: evidenced, titlesOf: titlesOf };
})(window.CCM);
