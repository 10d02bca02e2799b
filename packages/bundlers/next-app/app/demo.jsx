'use client';
// A client component: the wattformer packages load and run in the browser only (useEffect).
import { useEffect, useRef } from 'react';
import { render } from '../../app/main.js';

export default function Demo() {
  const element = useRef(null);
  useEffect(() => {
    render(element.current);
  }, []);
  return <pre id="result" ref={element} />;
}
